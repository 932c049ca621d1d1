package io.ventiapi.platform.common;

import java.util.regex.Pattern;

/**
 * The rule every member's username follows: 3-120 ASCII letters, digits or {@code . _ % + @ -}.
 * ASCII only, so that ignoring case means the same in Java and in PostgreSQL whatever the
 * database's collation (whose {@code lower()} may map a non-ASCII letter, such as {@code İ}, to
 * an ASCII one).
 */
public final class Usernames {

    public static final String RULE = "a username is 3-120 letters, digits or . _ % + @ - characters";

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._%+@-]{3,120}");

    private Usernames() {}

    /** Whether a member could be named so. */
    public static boolean valid(String username) {
        return username != null && USERNAME.matcher(username).matches();
    }
}
