--liquibase formatted sql

--changeset venti:017-target-wide-fingerprints
-- The engine now fingerprints a finding about the whole target (a missing header, a weak JWT
-- key, no rate limit) by its rule and parameter only, method and path written '*': the operation
-- it happened to be seen on changed with the document, and each change showed the same flaw as
-- one "fixed" and one "new" finding. Stored ones take the new fingerprint, so the next scan
-- recognises them and their status and triage stay. Where a project holds several that differ
-- by operation only, the one seen last takes it; the others close as fixed at the next scan.
with newest as (
    select id,
           row_number() over (partition by tenant_id, project_id, rule_id, coalesce(parameter, '')
                              order by last_seen_at desc, id) as n
    from findings
    where rule_id in ('misconfig.version-disclosure', 'misconfig.missing-nosniff',
                      'misconfig.cors-credentials', 'misconfig.missing-hsts',
                      'misconfig.cacheable-authenticated-response', 'auth.jwt-weak-secret',
                      'auth.jwt-algorithm-confusion', 'auth.jwt-kid-injection', 'resource.no-rate-limit')
)
update findings f
set fingerprint = encode(sha256(convert_to(f.rule_id || E'\n*\n*\n' || coalesce(f.parameter, ''), 'UTF8')), 'hex')
from newest
where newest.id = f.id and newest.n = 1
  -- A runner upgraded first may have stored the finding under the new fingerprint already.
  and not exists (
      select 1 from findings g
      where g.tenant_id = f.tenant_id and g.project_id = f.project_id
        and g.fingerprint = encode(sha256(convert_to(f.rule_id || E'\n*\n*\n' || coalesce(f.parameter, ''), 'UTF8')), 'hex'));
