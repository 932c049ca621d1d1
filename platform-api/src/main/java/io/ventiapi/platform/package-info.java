/**
 * The platform's domain and its adapters. Each subpackage is a feature module (verified by
 * {@code ModularityTests}); its root is its API, its {@code internal} and {@code graphql}
 * subpackages are not.
 */
package io.ventiapi.platform;
