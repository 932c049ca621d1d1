-- What an operator runs once (README, "Database roles"): an owner for migrations, a runtime role.
create role venti_owner login password 'owner';
create role venti_app login password 'app';
create database venti owner venti_owner;
