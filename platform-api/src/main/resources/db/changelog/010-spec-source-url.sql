--liquibase formatted sql

--changeset venti:010-spec-source-url-without-query
-- Versions fetched before the platform stored URLs without their query string and fragment kept
-- them; for a presigned URL that is an access token, readable by every reader of the project.
-- Readers see where a document came from, not how it was fetched (SpecService does the same).
update spec_versions set source_url = regexp_replace(source_url, '[?#].*$', '') where source_url ~ '[?#]';
