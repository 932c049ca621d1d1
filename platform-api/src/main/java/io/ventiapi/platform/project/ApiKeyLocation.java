package io.ventiapi.platform.project;

/** Where an API key travels. */
public enum ApiKeyLocation {
    HEADER,
    QUERY,
    COOKIE
}
