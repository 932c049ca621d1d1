package io.ventiapi.platform.spec;

/** How a document reached the platform. */
public enum SpecSource {
    UPLOAD,
    URL
}
