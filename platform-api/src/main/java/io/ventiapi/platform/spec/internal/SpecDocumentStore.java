package io.ventiapi.platform.spec.internal;

import io.ventiapi.platform.spec.SpecOperation;
import io.ventiapi.tenancy.Tenancy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A version's document text and operations, written with plain JDBC: a large API has a thousand
 * operations, which one batched insert writes far faster than a thousand entity inserts. Runs in
 * the caller's transaction, so row-level security binds it like everything else.
 */
@Component
public class SpecDocumentStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<List<String>>> SECURITY = new TypeReference<>() {};

    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;

    SpecDocumentStore(JdbcTemplate jdbcTemplate, JdbcClient jdbc) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
    }

    public void save(UUID versionId, String content, List<SpecOperation> operations) {
        var tenant = Tenancy.current().value();
        jdbc.sql("insert into spec_documents (spec_version_id, tenant_id, content) values (?, ?, ?)")
                .params(versionId, tenant, content)
                .update();
        var rows = new ArrayList<Object[]>(operations.size());
        for (int i = 0; i < operations.size(); i++) {
            var operation = operations.get(i);
            rows.add(new Object[] {
                tenant,
                versionId,
                i,
                operation.method(),
                operation.path(),
                operation.operationId(),
                JSON.writeValueAsString(operation.security())
            });
        }
        jdbcTemplate.batchUpdate(
                "insert into spec_operations (tenant_id, spec_version_id, position, method, path, operation_id, security)"
                        + " values (?, ?, ?, ?, ?, ?, ?)",
                rows);
    }

    /** A version's document as it was uploaded or fetched. */
    public Optional<String> content(UUID versionId) {
        return jdbc.sql("select content from spec_documents where spec_version_id = ?")
                .param(versionId)
                .query(String.class)
                .optional();
    }

    /**
     * Each version's operations, in document order: up to {@code rows} after the one at {@code
     * afterPosition} (-1 for the first page), each with its position. One statement for all the
     * versions, each read no further than that (its primary key, version and position, leads
     * there).
     */
    public Map<UUID, List<Positioned>> operations(Collection<UUID> versionIds, int afterPosition, int rows) {
        var byVersion = new LinkedHashMap<UUID, List<Positioned>>();
        versionIds.forEach(id -> byVersion.put(id, new ArrayList<>()));
        if (versionIds.isEmpty()) {
            return byVersion;
        }
        jdbc.sql("""
                        select v.id as spec_version_id, o.position, o.method, o.path, o.operation_id, o.security
                        from spec_versions v cross join lateral (
                            select position, method, path, operation_id, security from spec_operations
                            where spec_version_id = v.id and position > :after order by position limit :rows) o
                        where v.id in (:ids) order by v.id, o.position""")
                .param("ids", versionIds)
                .param("after", afterPosition)
                .param("rows", rows)
                .query(rs -> {
                    byVersion
                            .get(rs.getObject("spec_version_id", UUID.class))
                            .add(new Positioned(
                                    rs.getInt("position"),
                                    new SpecOperation(
                                            rs.getString("method"),
                                            rs.getString("path"),
                                            rs.getString("operation_id"),
                                            JSON.readValue(rs.getString("security"), SECURITY))));
                });
        return byVersion;
    }

    /** An operation and its place in its document. */
    public record Positioned(int position, SpecOperation operation) {}
}
