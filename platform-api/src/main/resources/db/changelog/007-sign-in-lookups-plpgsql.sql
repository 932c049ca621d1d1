--liquibase formatted sql

--changeset venti:007-sign-in-lookups-plpgsql splitStatements:false
-- The sign-in lookups run on every API request (the tenant edge checks the caller's client and
-- tenant). As SQL functions that cannot be inlined (SECURITY DEFINER), PostgreSQL parsed and
-- planned their query on every call; PL/pgSQL keeps each session's plan. Same signatures, same
-- results, same grants (CREATE OR REPLACE keeps them).
create or replace function venti_member_login(p_username text)
    returns table (id uuid, tenant_id text, username text, password_hash text, role text, tenant_status text)
    language plpgsql stable security definer set search_path = public as $$
begin
    return query
    select m.id, m.tenant_id, m.username, m.password_hash, m.role, t.status
    from members m join tenants t on t.id = m.tenant_id
    where lower(m.username) = lower(p_username);
end
$$;
create or replace function venti_api_client_login(p_client_id text)
    returns table (id uuid, tenant_id text, client_id text, name text, secret_hash text, scopes text,
                   revoked boolean, tenant_status text)
    language plpgsql stable security definer set search_path = public as $$
begin
    return query
    select c.id, c.tenant_id, c.client_id, c.name, c.secret_hash, c.scopes, c.revoked_at is not null, t.status
    from api_clients c join tenants t on t.id = c.tenant_id
    where c.client_id = p_client_id;
end
$$;
create or replace function venti_issuer_tenants(p_issuer text)
    returns table (tenant_id text, jwk_set_uri text, audience text, default_role text, tenant_status text)
    language plpgsql stable security definer set search_path = public as $$
begin
    return query
    select i.tenant_id, i.jwk_set_uri, i.audience, i.default_role, t.status
    from trusted_issuers i join tenants t on t.id = i.tenant_id
    where i.issuer_uri = p_issuer;
end
$$;
