package io.ventiapi.engine;

/**
 * How sure the engine is that a finding is real. The engine only reports findings it could confirm; the
 * level says how strong the confirmation was.
 */
public enum Confidence {
    /** A single observation that matches a precise signature (e.g. a leaked password hash field). */
    FIRM,
    /** Reproduced with a control request, or observed twice (e.g. time-based injection). */
    CONFIRMED
}
