package io.ventiapi.server.role;

import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out the infrastructure a process's roles do not use: without the api role there is no
 * GraphQL endpoint and no authorization or resource server; without api or portal (a runner
 * alone) no database at all, so the runner holds no database credentials.
 */
public class RoleAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

    private static final List<String> API_ONLY = List.of(
            "org.springframework.boot.graphql.autoconfigure.", "org.springframework.boot.security.oauth2.server.");

    private static final List<String> DATA = List.of(
            "org.springframework.boot.jdbc.autoconfigure.",
            "org.springframework.boot.hibernate.autoconfigure.",
            "org.springframework.boot.liquibase.autoconfigure.",
            "org.springframework.boot.data.jpa.autoconfigure.");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public boolean[] match(String[] candidates, AutoConfigurationMetadata metadata) {
        Set<VentiRole> roles = VentiRoles.of(environment);
        boolean api = roles.contains(VentiRole.API);
        boolean data = VentiRoles.needsDatabase(environment);
        var matches = new boolean[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            var candidate = candidates[i];
            matches[i] = candidate == null
                    || !((!api && startsWithAny(candidate, API_ONLY)) || (!data && startsWithAny(candidate, DATA)));
        }
        return matches;
    }

    private static boolean startsWithAny(String candidate, List<String> prefixes) {
        return prefixes.stream().anyMatch(candidate::startsWith);
    }
}
