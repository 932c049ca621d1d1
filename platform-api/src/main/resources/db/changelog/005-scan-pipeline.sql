--liquibase formatted sql

--changeset venti:005-outbox-pending-tenants splitStatements:false
-- The outbox relay's one cross-tenant read: which tenants have messages waiting. It returns
-- tenant ids only; the relay then reads each tenant's messages with that tenant bound, under
-- row-level security like any other query.
create function venti_outbox_pending_tenants()
    returns setof text
    language sql stable security definer set search_path = public as $$
    select distinct tenant_id from outbox where published_at is null
$$;
revoke all on function venti_outbox_pending_tenants() from public;
grant execute on function venti_outbox_pending_tenants() to ${app_role};

--changeset venti:005-scan-progress
-- What the scanner last said about a running scan, and how the finished scan compares with the
-- project's previous one.
alter table scans
    add column phase           text,
    add column requests_sent   integer not null default 0,
    add column scanner_outcome text,
    add column new_count       integer not null default 0,
    add column recurring_count integer not null default 0,
    add column regressed_count integer not null default 0,
    add column fixed_count     integer not null default 0;

--changeset venti:005-finding-change
-- How the finding's last scan saw it: NEW, RECURRING, REGRESSED (seen again after it was fixed)
-- or FIXED (a successful scan no longer saw it).
alter table findings add column last_change text not null default 'NEW';
create index findings_last_seen_scan_idx on findings (tenant_id, last_seen_scan_id);
