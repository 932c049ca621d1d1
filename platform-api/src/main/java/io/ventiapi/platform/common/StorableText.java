package io.ventiapi.platform.common;

/**
 * PostgreSQL's text cannot hold U+0000 (NUL): text that carries one fails at the database. Input
 * from clients is refused when it holds one; text the platform keeps from elsewhere (what a
 * scanner quotes from a target) has it replaced.
 */
public final class StorableText {

    private StorableText() {}

    /** Whether PostgreSQL would refuse to store it. */
    public static boolean holdsNul(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }

    /** The text with each NUL replaced by U+FFFD, the replacement character. */
    public static String replacingNul(String text) {
        return holdsNul(text) ? text.replace('\0', '\uFFFD') : text;
    }
}
