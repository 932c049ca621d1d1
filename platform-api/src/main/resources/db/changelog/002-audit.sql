--liquibase formatted sql

--changeset venti:002-audit-events
-- Append-only: the runtime role may insert and read, never update or delete. Each tenant's
-- events form a hash chain (hash = sha256(previous hash || canonical event)), so an edit by
-- anyone who can bypass the grants shows as a broken link.
create table audit_events (
    id           uuid primary key,
    tenant_id    text        not null references tenants (id),
    seq          bigint      not null,
    occurred_at  timestamptz not null,
    actor        text        not null,
    actor_type   text        not null,
    action       text        not null,
    target_type  text        not null,
    target_id    text,
    source_ip    text,
    user_agent   text,
    trace_id     text,
    summary      text        not null,
    prev_hash    text        not null,
    hash         text        not null,
    unique (tenant_id, seq)
);
grant select, insert on audit_events to ${app_role};
alter table audit_events enable row level security;
create policy tenant_isolation on audit_events
    using (tenant_id = current_setting('app.tenant_id', true))
    with check (tenant_id = current_setting('app.tenant_id', true));
