--liquibase formatted sql

--changeset venti:018-queued-scan-lookups
-- The scan watchdog looks, in every tenant every 5 minutes, for its queued and running scans, and
-- for each queued one the outbox message that requested it (to publish again a job Redis lost).
-- Without these, each look read every scan and every message the tenant ever had.
create index scans_active_idx on scans (tenant_id, status, queued_at) where status in ('QUEUED', 'RUNNING');
create index outbox_scan_requested_idx on outbox (tenant_id, message_key) where topic = 'scan.requested';
