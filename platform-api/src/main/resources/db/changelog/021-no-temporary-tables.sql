--liquibase formatted sql

--changeset venti:021-no-temporary-tables splitStatements:false
-- PostgreSQL lets every role create temporary tables in a new database: PUBLIC holds TEMPORARY.
-- The runtime role needs none, and a temporary table is what a SECURITY DEFINER function searching
-- pg_temp first would read instead of the platform's own (016). Only the database's owner can take
-- the right back; these changesets run as that owner in the README's set-up. Run as another role,
-- the revoke only warns, and the platform's start-up logs that the runtime role still holds it.
do $$
begin
    execute format('revoke temporary on database %I from public, %I', current_database(), '${app_role}');
end
$$;
