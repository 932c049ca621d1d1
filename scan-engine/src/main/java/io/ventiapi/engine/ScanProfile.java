package io.ventiapi.engine;

import java.util.Locale;

/** How much a scan may disturb the target. */
public enum ScanProfile {
    /**
     * For production-like targets: no PUT, PATCH or DELETE except on resources the scan created itself (which
     * it deletes afterwards where the API allows), and no time-based probes that hold server threads.
     */
    SAFE,
    /** All checks; PUT and PATCH as documented; DELETE only on resources the scan created. */
    STANDARD,
    /** All checks and every documented method on any resource, including DELETE on harvested ids. */
    AGGRESSIVE;

    /** Parses a profile name case-insensitively. */
    public static ScanProfile parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown profile '" + name + "' (expected SAFE, STANDARD or AGGRESSIVE)");
        }
    }
}
