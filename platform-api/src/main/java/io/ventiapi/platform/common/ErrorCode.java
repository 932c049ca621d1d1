package io.ventiapi.platform.common;

/** Machine-readable reasons a request was refused, shared by GraphQL payloads and HTTP errors. */
public enum ErrorCode {
    /** The object does not exist, or not in the caller's tenant: the two are never told apart. */
    NOT_FOUND,
    /** The input is malformed or breaks a rule; {@code field} names the culprit. */
    INVALID_INPUT,
    /** The request clashes with the current state (a name taken, a tenant already suspended). */
    CONFLICT,
    /** The caller may not do this. */
    FORBIDDEN,
    /** The platform has no capacity for it now; the same request may succeed shortly. */
    BUSY
}
