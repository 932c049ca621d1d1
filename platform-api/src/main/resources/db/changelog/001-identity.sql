--liquibase formatted sql

--changeset venti:001-tenants
create table tenants (
    id          text primary key,
    name        text        not null,
    plan        text        not null,
    status      text        not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
comment on table tenants is 'Platform-level registry of tenants; not tenant-owned, no row-level security.';
insert into tenants (id, name, plan, status) values ('platform', 'Platform operators', 'INTERNAL', 'ACTIVE');
grant select, insert, update on tenants to ${app_role};

--changeset venti:001-members
create table members (
    id            uuid primary key,
    tenant_id     text        not null references tenants (id),
    username      text        not null,
    display_name  text,
    password_hash text        not null,
    role          text        not null,
    created_at    timestamptz not null default now()
);
create unique index members_username_uk on members (lower(username));
create index members_tenant_idx on members (tenant_id, created_at, id);
grant select, insert, update, delete on members to ${app_role};

--changeset venti:001-api-clients
create table api_clients (
    id          uuid primary key,
    tenant_id   text        not null references tenants (id),
    client_id   text        not null unique,
    name        text        not null,
    secret_hash text        not null,
    scopes      text        not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create index api_clients_tenant_idx on api_clients (tenant_id, created_at, id);
grant select, insert, update on api_clients to ${app_role};

--changeset venti:001-trusted-issuers
create table trusted_issuers (
    id           uuid primary key,
    tenant_id    text        not null references tenants (id),
    issuer_uri   text        not null,
    jwk_set_uri  text,
    audience     text,
    default_role text        not null,
    created_at   timestamptz not null default now(),
    unique (tenant_id, issuer_uri)
);
create index trusted_issuers_issuer_idx on trusted_issuers (issuer_uri);
grant select, insert, update, delete on trusted_issuers to ${app_role};

--changeset venti:001-signing-keys
create table signing_keys (
    kid                   text primary key,
    public_key            bytea       not null,
    private_key_encrypted bytea       not null,
    encryption_key_id     text        not null,
    created_at            timestamptz not null default now(),
    retired_at            timestamptz
);
comment on table signing_keys is 'RSA keys of the built-in authorization server; private keys AES-GCM encrypted with the master key.';
grant select, insert, update on signing_keys to ${app_role};

--changeset venti:001-row-level-security splitStatements:false
-- Every tenant-owned table: rows visible and writable only when app.tenant_id (bound per
-- transaction by TenantTransactionBinder) names their tenant. Unset or empty: no rows.
do $$
declare t text;
begin
    foreach t in array array['members', 'api_clients', 'trusted_issuers'] loop
        execute format('alter table %I enable row level security', t);
        execute format('create policy tenant_isolation on %I using (tenant_id = current_setting(''app.tenant_id'', true)) '
                       'with check (tenant_id = current_setting(''app.tenant_id'', true))', t);
    end loop;
end $$;

--changeset venti:001-sign-in-lookups splitStatements:false
-- The only ways across tenants, for signing in before a tenant is known: each answers one
-- principal by its unique name. SECURITY DEFINER runs them as the owner, which RLS does not bind.
create function venti_member_login(p_username text)
    returns table (id uuid, tenant_id text, username text, password_hash text, role text, tenant_status text)
    language sql stable security definer set search_path = public as $$
    select m.id, m.tenant_id, m.username, m.password_hash, m.role, t.status
    from members m join tenants t on t.id = m.tenant_id
    where lower(m.username) = lower(p_username)
$$;
create function venti_api_client_login(p_client_id text)
    returns table (id uuid, tenant_id text, client_id text, name text, secret_hash text, scopes text,
                   revoked boolean, tenant_status text)
    language sql stable security definer set search_path = public as $$
    select c.id, c.tenant_id, c.client_id, c.name, c.secret_hash, c.scopes, c.revoked_at is not null, t.status
    from api_clients c join tenants t on t.id = c.tenant_id
    where c.client_id = p_client_id
$$;
create function venti_issuer_tenants(p_issuer text)
    returns table (tenant_id text, jwk_set_uri text, audience text, default_role text, tenant_status text)
    language sql stable security definer set search_path = public as $$
    select i.tenant_id, i.jwk_set_uri, i.audience, i.default_role, t.status
    from trusted_issuers i join tenants t on t.id = i.tenant_id
    where i.issuer_uri = p_issuer
$$;
revoke all on function venti_member_login(text), venti_api_client_login(text), venti_issuer_tenants(text) from public;
grant execute on function venti_member_login(text), venti_api_client_login(text), venti_issuer_tenants(text) to ${app_role};
