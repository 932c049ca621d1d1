package io.ventiapi.engine.http;

/** Lets tests in other packages undo {@link PinnedNames#pin}, which a scan never does. */
public final class PinnedNamesReset {

    private PinnedNamesReset() {}

    /** Forgets the pins; the JDK still answers pinned names from its cache for 30 s. */
    public static void unpin() {
        PinnedNames.unpin();
    }
}
