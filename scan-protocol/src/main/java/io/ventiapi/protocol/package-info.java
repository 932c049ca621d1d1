/**
 * The scan protocol between the api role and the runners: the job message, the Redis keys and
 * the event fields (docs/runner/protocol.md). Both sides compile against this one definition.
 */
package io.ventiapi.protocol;
