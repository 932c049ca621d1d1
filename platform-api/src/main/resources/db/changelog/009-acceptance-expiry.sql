--liquibase formatted sql

--changeset venti:009-acceptance-expiry runInTransaction:false
-- Accepted risks whose acceptance ran out are reopened by a periodic sweep of each tenant
-- (AcceptanceExpiry); this keeps the sweep to the few rows it may change. Built concurrently:
-- findings keep being recorded while it builds. A build that failed half way leaves an invalid
-- index behind, which the retry drops first.
drop index concurrently if exists findings_acceptance_expiry_idx;
create index concurrently findings_acceptance_expiry_idx on findings (tenant_id, triage_expires_at)
    where status = 'ACCEPTED_RISK';
