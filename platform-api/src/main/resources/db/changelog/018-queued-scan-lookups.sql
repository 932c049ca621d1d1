--liquibase formatted sql

--changeset venti:018-outbox-published-marked
-- Whether the relay that published a message set, beside a scan's job, the marker that shows
-- Redis still holds it (LostJobs). Jobs published before carry none, and must not be taken for
-- lost because of it.
alter table outbox add column published_marked boolean not null default false;

--changeset venti:018-queued-scan-lookups runInTransaction:false
-- The scan watchdog looks, in every tenant every 5 minutes, for its queued and running scans, and
-- for each queued one the outbox message that requested it (to publish again a job Redis lost).
-- Without these, each look read every scan and every message the tenant ever had. Built
-- concurrently: scans keep being started while they build. A build that failed half way leaves
-- an invalid index behind, which the retry drops first.
drop index concurrently if exists scans_active_idx;
create index concurrently scans_active_idx on scans (tenant_id, status, queued_at)
    where status in ('QUEUED', 'RUNNING');
drop index concurrently if exists outbox_scan_requested_idx;
create index concurrently outbox_scan_requested_idx on outbox (tenant_id, message_key)
    where topic = 'scan.requested';

--changeset venti:018-spec-operation-paths runInTransaction:false
-- A scan's end looks up, for each finding it would close, whether its operation (path parameters'
-- names aside) is in the documents of the two scans (one with 20,000 operations may be uploaded).
drop index concurrently if exists spec_operations_path_idx;
create index concurrently spec_operations_path_idx
    on spec_operations (spec_version_id, (regexp_replace(path, '\{[^}]*\}', '{}', 'g')));
