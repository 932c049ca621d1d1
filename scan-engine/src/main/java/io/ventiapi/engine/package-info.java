/** The scan engine: OpenAPI in, HTTP probes out, findings as a stream. No Spring. */
package io.ventiapi.engine;
