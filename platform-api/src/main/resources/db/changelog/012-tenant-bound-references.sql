--liquibase formatted sql

--changeset venti:012-tenant-bound-references
-- A row refers only to rows of its own tenant: each reference between tenant-owned tables
-- carries the tenant id, so a row naming another tenant's project, spec version, scan or
-- finding cannot be written, whatever the code above does (defence in depth beside the tenant
-- filter and row-level security, which keep such a row from being read).
alter table projects add constraint projects_tenant_id_id_uk unique (tenant_id, id);
alter table spec_versions add constraint spec_versions_tenant_id_id_uk unique (tenant_id, id);
alter table scans add constraint scans_tenant_id_id_uk unique (tenant_id, id);
alter table findings add constraint findings_tenant_id_id_uk unique (tenant_id, id);

alter table project_identities
    drop constraint project_identities_project_id_fkey,
    add constraint project_identities_project_fk foreign key (tenant_id, project_id) references projects (tenant_id, id);
alter table spec_versions
    drop constraint spec_versions_project_id_fkey,
    add constraint spec_versions_project_fk foreign key (tenant_id, project_id) references projects (tenant_id, id);
alter table spec_documents
    drop constraint spec_documents_spec_version_id_fkey,
    add constraint spec_documents_spec_version_fk
        foreign key (tenant_id, spec_version_id) references spec_versions (tenant_id, id);
alter table spec_operations
    drop constraint spec_operations_spec_version_id_fkey,
    add constraint spec_operations_spec_version_fk
        foreign key (tenant_id, spec_version_id) references spec_versions (tenant_id, id);
alter table scans
    drop constraint scans_project_id_fkey,
    drop constraint scans_spec_version_id_fkey,
    add constraint scans_project_fk foreign key (tenant_id, project_id) references projects (tenant_id, id),
    add constraint scans_spec_version_fk
        foreign key (tenant_id, spec_version_id) references spec_versions (tenant_id, id);
alter table findings
    drop constraint findings_project_id_fkey,
    drop constraint findings_first_seen_scan_id_fkey,
    drop constraint findings_last_seen_scan_id_fkey,
    add constraint findings_project_fk foreign key (tenant_id, project_id) references projects (tenant_id, id),
    add constraint findings_first_seen_scan_fk
        foreign key (tenant_id, first_seen_scan_id) references scans (tenant_id, id),
    add constraint findings_last_seen_scan_fk
        foreign key (tenant_id, last_seen_scan_id) references scans (tenant_id, id);
alter table finding_evidence
    drop constraint finding_evidence_finding_id_fkey,
    add constraint finding_evidence_finding_fk foreign key (tenant_id, finding_id) references findings (tenant_id, id);
