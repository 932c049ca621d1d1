--liquibase formatted sql

--changeset venti:019-accepted-while-fixed
-- An acceptance that runs out puts the finding back to FIXED only if it was granted while a scan
-- had it closed; one granted after a person reopened it goes back to OPEN. Acceptances granted
-- before this column existed keep the behaviour they had: back to FIXED when a scan last closed it.
alter table findings add column accepted_while_fixed boolean not null default false;
update findings set accepted_while_fixed = true where status = 'ACCEPTED_RISK' and last_change = 'FIXED';
