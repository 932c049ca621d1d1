--liquibase formatted sql

--changeset venti:015-scan-scanner-kinds
-- Which scanners a scan ran: a scan closes as fixed only findings a scan with no other
-- scanners saw. Scans from before take their project's scanners now, the best guess there is;
-- the default serves a replica of the earlier version still running during the upgrade.
alter table scans add column scanner_kinds text not null default 'venti';
update scans s set scanner_kinds = p.scanner_kinds from projects p where p.id = s.project_id and p.tenant_id = s.tenant_id;
