/**
 * The transactional outbox: messages written in the transaction of the change they announce, for
 * a relay to publish after commit. Nothing accepted is lost, and nothing rolled back is announced.
 */
package io.ventiapi.platform.outbox;
