/**
 * API descriptions of projects: OpenAPI 2.0/3.0/3.1 documents uploaded or fetched through the
 * SSRF guard, validated, versioned by content hash, and their operations listed.
 */
package io.ventiapi.platform.spec;
