--liquibase formatted sql

--changeset venti:014-identity-binding splitStatements:false
-- Identity secrets are sealed bound to their kind and to the origins they are sent to (ADR 3).
-- Rows sealed before say 1 here; the platform seals them again at its next start, which finds
-- their tenants through the function below without walking every tenant. The default stays:
-- a replica of the earlier version still running during the upgrade seals the old way.
alter table project_identities add column sealed_binding smallint not null default 1;
create function venti_identities_to_reseal(p_key_id text, p_binding int)
    returns table (tenant_id text)
    language plpgsql stable security definer set search_path = public as $$
begin
    return query
    select distinct i.tenant_id from project_identities i
    where i.encryption_key_id <> p_key_id or i.sealed_binding < p_binding;
end
$$;
revoke all on function venti_identities_to_reseal(text, int) from public;
grant execute on function venti_identities_to_reseal(text, int) to ${app_role};
