--liquibase formatted sql

--changeset venti:004-scans
create table scans (
    id              uuid primary key,
    tenant_id       text        not null references tenants (id),
    project_id      uuid        not null references projects (id),
    spec_version_id uuid        not null references spec_versions (id),
    profile         text        not null,
    status          text        not null,
    progress        integer     not null default 0,
    requested_by    text        not null,
    queued_at       timestamptz not null,
    started_at      timestamptz,
    finished_at     timestamptz,
    failure_reason  text,
    info_count      integer     not null default 0,
    low_count       integer     not null default 0,
    medium_count    integer     not null default 0,
    high_count      integer     not null default 0,
    critical_count  integer     not null default 0
);
create index scans_project_idx on scans (tenant_id, project_id, queued_at desc, id desc);
grant select, insert, update on scans to ${app_role};

--changeset venti:004-outbox
-- Transactional outbox: a message is written in the transaction of the change it announces and
-- published by a relay after commit (at least once; consumers are idempotent by message id).
create table outbox (
    id           uuid primary key,
    tenant_id    text        not null references tenants (id),
    topic        text        not null,
    message_key  text        not null,
    payload      jsonb       not null,
    created_at   timestamptz not null,
    published_at timestamptz
);
create index outbox_unpublished_idx on outbox (created_at) where published_at is null;
grant select, insert, update on outbox to ${app_role};

--changeset venti:004-findings
create table findings (
    id                  uuid primary key,
    tenant_id           text        not null references tenants (id),
    project_id          uuid        not null references projects (id),
    fingerprint         text        not null,
    rule_id             text        not null,
    title               text        not null,
    category            text        not null,
    cwe                 integer,
    severity            text        not null,
    severity_rank       smallint    not null,
    confidence          text        not null,
    method              text        not null,
    path                text        not null,
    parameter           text,
    evidence_request    text,
    evidence_response   text,
    remediation         text,
    status              text        not null,
    triage_reason       text,
    triage_expires_at   timestamptz,
    triaged_by          text,
    triaged_at          timestamptz,
    first_seen_scan_id  uuid        not null references scans (id),
    last_seen_scan_id   uuid        not null references scans (id),
    first_seen_at       timestamptz not null,
    last_seen_at        timestamptz not null,
    unique (tenant_id, project_id, fingerprint)
);
-- Keyset pagination: most severe first, then most recently seen. One index per ordering, with
-- and without the project filter; the other filters are checked on the rows the index yields.
create index findings_severity_idx on findings (tenant_id, severity_rank desc, last_seen_at desc, id desc);
create index findings_project_severity_idx
    on findings (tenant_id, project_id, severity_rank desc, last_seen_at desc, id desc);
create index findings_last_seen_idx on findings (tenant_id, last_seen_at desc, id desc);
create index findings_project_last_seen_idx on findings (tenant_id, project_id, last_seen_at desc, id desc);
grant select, insert, update on findings to ${app_role};

--changeset venti:004-row-level-security splitStatements:false
do $$
declare t text;
begin
    foreach t in array array['scans', 'outbox', 'findings'] loop
        execute format('alter table %I enable row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = current_setting(''app.tenant_id'', true)) '
                       'with check (tenant_id = current_setting(''app.tenant_id'', true))', t);
    end loop;
end $$;
