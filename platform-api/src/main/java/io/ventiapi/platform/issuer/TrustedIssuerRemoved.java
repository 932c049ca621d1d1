package io.ventiapi.platform.issuer;

/**
 * A tenant stopped trusting an issuer (its registration naming {@code jwkSetUri}, null when found
 * by discovery); listen with {@code @TransactionalEventListener} to act after commit.
 */
public record TrustedIssuerRemoved(String issuerUri, String jwkSetUri) {}
