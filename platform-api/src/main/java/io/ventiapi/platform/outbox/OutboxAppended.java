package io.ventiapi.platform.outbox;

import java.util.UUID;

/** A message was appended to the outbox; listen with {@code @TransactionalEventListener} to act after commit. */
public record OutboxAppended(UUID messageId) {}
