/** The tenant's append-only, hash-chained audit log: every state change writes one event. */
package io.ventiapi.platform.audit;
