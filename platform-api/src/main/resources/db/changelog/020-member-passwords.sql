--liquibase formatted sql

--changeset venti:020-member-passwords
-- A password someone else set (at an invitation, a tenant's creation or a reset) is one-time: its
-- member chooses their own before any code or token is issued for them (ADR 3). Every password
-- stored so far was set that way, so every member changes theirs at their next sign-in; theirs do
-- not expire (one_time_password_expires_at is null), or the upgrade would lock out every admin.
-- The default is for rows written without saying: a replica of the earlier version still running
-- during the upgrade invites members with a password that must not last either.
alter table members add column must_change_password boolean not null default true;
alter table members add column one_time_password_expires_at timestamptz;
-- When the password was last set: a sign-in made with an earlier one gets no new code or token.
alter table members add column password_changed_at timestamptz not null default now();
update members set password_changed_at = created_at;

--changeset venti:020-member-login-password-state splitStatements:false
-- The sign-in lookup also answers whether the password is one-time, until when, and since when it
-- is set. A function's result columns cannot change in place: dropped and created again, with the
-- same rights and search path (016) as before.
drop function venti_member_login(text);
create function venti_member_login(p_username text)
    returns table (id uuid, tenant_id text, username text, password_hash text, role text, tenant_status text,
                   must_change_password boolean, one_time_password_expires_at timestamptz,
                   password_changed_at timestamptz)
    language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return query
    select m.id, m.tenant_id, m.username, m.password_hash, m.role, t.status,
           m.must_change_password, m.one_time_password_expires_at, m.password_changed_at
    from members m join tenants t on t.id = m.tenant_id
    where lower(m.username) = lower(p_username);
end
$$;
revoke all on function venti_member_login(text) from public;
grant execute on function venti_member_login(text) to ${app_role};
