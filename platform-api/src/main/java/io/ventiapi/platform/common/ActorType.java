package io.ventiapi.platform.common;

/** Who acts: a person, a machine holding an API client's credentials, or the platform itself. */
public enum ActorType {
    USER,
    API_CLIENT,
    /** The platform itself (first-start seeding, schedulers); never carried by a token. */
    SYSTEM
}
