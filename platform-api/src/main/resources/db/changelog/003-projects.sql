--liquibase formatted sql

--changeset venti:003-projects
create table projects (
    id              uuid primary key,
    tenant_id       text        not null references tenants (id),
    name            text        not null,
    target_url      text        not null,
    environment     text        not null,
    scanner_kinds   text        not null,
    default_profile text        not null,
    rate_limit      integer     not null,
    request_budget  integer     not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    archived_at     timestamptz
);
-- Names are unique among a tenant's live projects; an archived project frees its name.
create unique index projects_name_uk on projects (tenant_id, lower(name)) where archived_at is null;
create index projects_tenant_idx on projects (tenant_id, created_at, id);
grant select, insert, update on projects to ${app_role};

--changeset venti:003-project-identities
-- Credentials are sealed with the master key (AES-GCM, bound to tenant, project and name);
-- encryption_key_id names the key so a rotated one is recognised.
create table project_identities (
    id                uuid primary key,
    tenant_id         text        not null references tenants (id),
    project_id        uuid        not null references projects (id),
    position          integer     not null,
    name              text        not null,
    kind              text        not null,
    settings          text        not null,
    secret_sealed     bytea       not null,
    encryption_key_id text        not null,
    secret_hint       text        not null,
    updated_at        timestamptz not null,
    unique (project_id, name)
);
create index project_identities_project_idx on project_identities (tenant_id, project_id, position);
grant select, insert, update, delete on project_identities to ${app_role};

--changeset venti:003-spec-versions
create table spec_versions (
    id               uuid primary key,
    tenant_id        text        not null references tenants (id),
    project_id       uuid        not null references projects (id),
    version          integer     not null,
    content_hash     text        not null,
    openapi_version  text        not null,
    title            text,
    source           text        not null,
    source_url       text,
    size_bytes       integer     not null,
    operation_count  integer     not null,
    warnings         text        not null,
    created_at       timestamptz not null,
    unique (project_id, content_hash),
    unique (project_id, version)
);
create index spec_versions_project_idx on spec_versions (tenant_id, project_id, version desc);
grant select, insert on spec_versions to ${app_role};

--changeset venti:003-spec-documents
-- The document itself, apart from its metadata so that listing versions never reads megabytes.
create table spec_documents (
    spec_version_id uuid primary key references spec_versions (id),
    tenant_id       text not null references tenants (id),
    content         text not null
);
grant select, insert on spec_documents to ${app_role};

--changeset venti:003-spec-operations
create table spec_operations (
    tenant_id       text    not null references tenants (id),
    spec_version_id uuid    not null references spec_versions (id),
    position        integer not null,
    method          text    not null,
    path            text    not null,
    operation_id    text,
    security        text    not null,
    primary key (spec_version_id, position)
);
grant select, insert on spec_operations to ${app_role};

--changeset venti:003-row-level-security splitStatements:false
do $$
declare t text;
begin
    foreach t in array array['projects', 'project_identities', 'spec_versions', 'spec_documents', 'spec_operations'] loop
        execute format('alter table %I enable row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = current_setting(''app.tenant_id'', true)) '
                       'with check (tenant_id = current_setting(''app.tenant_id'', true))', t);
    end loop;
end $$;
