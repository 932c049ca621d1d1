--liquibase formatted sql

--changeset venti:022-accepted-severity
-- A risk accepted at one severity is not accepted at a higher one: a scan that reports the finding
-- more severe than it was when accepted reopens it. Acceptances granted before this column existed
-- were granted at the severity the finding has now, as far as anyone can tell.
alter table findings add column accepted_severity text;
update findings set accepted_severity = severity where status = 'ACCEPTED_RISK';
