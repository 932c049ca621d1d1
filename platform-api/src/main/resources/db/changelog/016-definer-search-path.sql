--liquibase formatted sql

--changeset venti:016-definer-search-path
-- The functions that run as the owner named only public in their search path. PostgreSQL then
-- searches pg_temp first, and the runtime role may create temporary tables: one named members
-- would have answered the sign-in lookups with its own rows, on that pooled connection. Named
-- last, a temporary table is never found before the platform's own.
alter function venti_member_login(text) set search_path = public, pg_temp;
alter function venti_api_client_login(text) set search_path = public, pg_temp;
alter function venti_issuer_tenants(text) set search_path = public, pg_temp;
alter function venti_outbox_pending_tenants() set search_path = public, pg_temp;
alter function venti_identities_to_reseal(text, int) set search_path = public, pg_temp;
-- Tenant ids are slugs (TenantId): an empty one, the value of "no tenant bound", can never be a
-- tenant whose rows unbound work would then read and write. Checked for new and changed rows.
alter table tenants add constraint tenants_id_slug
    check (id ~ '^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$') not valid;
