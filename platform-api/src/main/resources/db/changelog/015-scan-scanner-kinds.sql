--liquibase formatted sql

--changeset venti:015-scan-scanner-kinds
-- Which scanners a scan ran: a scan closes as fixed only findings a scan with no other
-- scanners saw. Scans from before ran the engine alone, or are taken as having done so.
alter table scans add column scanner_kinds text not null default 'venti';
alter table scans alter column scanner_kinds drop default;
