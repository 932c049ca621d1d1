--liquibase formatted sql

--changeset venti:008-finding-evidence
-- A finding's evidence (request and response excerpts, up to a few KB each) in a table of its own:
-- lists of findings never show it, yet read every column of their rows, so each page of 50 read,
-- sent and decoded about 150 KB it did not use. One row per finding: the latest scan's evidence.
-- ADR 12.
create table finding_evidence (
    finding_id uuid primary key references findings (id),
    tenant_id  text not null references tenants (id),
    request    text,
    response   text
);
insert into finding_evidence (finding_id, tenant_id, request, response)
select id, tenant_id, evidence_request, evidence_response from findings
where evidence_request is not null or evidence_response is not null;
alter table findings drop column evidence_request, drop column evidence_response;
grant select, insert, update on finding_evidence to ${app_role};
alter table finding_evidence enable row level security;
create policy tenant_isolation on finding_evidence
    using (tenant_id = current_setting('app.tenant_id', true))
    with check (tenant_id = current_setting('app.tenant_id', true));
