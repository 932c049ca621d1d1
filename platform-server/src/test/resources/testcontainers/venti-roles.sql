-- What an operator runs once (README, "Database roles"): an owner for migrations, a runtime role.
create role venti_owner login password 'owner';
create role venti_app login password 'app';
create database venti owner venti_owner;
-- A new database lets every role create temporary tables; the runtime role needs none.
revoke temporary on database venti from public;
