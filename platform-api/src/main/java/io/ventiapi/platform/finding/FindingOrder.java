package io.ventiapi.platform.finding;

/** Orders of the findings list, each served by its own index. */
public enum FindingOrder {
    /** Most severe first, then most recently seen. */
    SEVERITY,
    /** Most recently seen first. */
    LAST_SEEN
}
