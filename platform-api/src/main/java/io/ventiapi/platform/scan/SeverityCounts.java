package io.ventiapi.platform.scan;

/** How many findings a scan reported, per severity. */
public record SeverityCounts(int info, int low, int medium, int high, int critical) {

    public static final SeverityCounts NONE = new SeverityCounts(0, 0, 0, 0, 0);

    public int total() {
        return info + low + medium + high + critical;
    }
}
