--liquibase formatted sql

--changeset venti:011-audit-filter-indexes
-- auditEvents filters by action, target type and time, newest first: without these, a rare
-- action or a narrow time range read the tenant's whole chain to fill a page.
create index audit_events_action_idx on audit_events (tenant_id, action, seq);
create index audit_events_target_type_idx on audit_events (tenant_id, target_type, seq);
create index audit_events_occurred_at_idx on audit_events (tenant_id, occurred_at);
