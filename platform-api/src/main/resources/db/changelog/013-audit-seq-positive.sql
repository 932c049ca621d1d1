--liquibase formatted sql

--changeset venti:013-audit-seq-positive
-- A tenant's chain is numbered from 1: an event numbered below it is no written event. The
-- verifier refuses one too, since whoever can drop this check can also insert such a row.
alter table audit_events add constraint audit_events_seq_positive check (seq >= 1);
