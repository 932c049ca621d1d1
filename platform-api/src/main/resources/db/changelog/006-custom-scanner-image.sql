--liquibase formatted sql

--changeset venti:006-custom-scanner-image
-- The image a project's "custom" scanner runs (any image that writes SARIF 2.1.0).
alter table projects add column custom_scanner_image text;
