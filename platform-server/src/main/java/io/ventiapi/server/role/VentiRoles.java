package io.ventiapi.server.role;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.env.Environment;

/** Reads {@code venti.roles}: a comma-separated list of {@link VentiRole}s, all of them by default. */
public final class VentiRoles {

    public static final String PROPERTY = "venti.roles";

    private VentiRoles() {}

    public static Set<VentiRole> of(Environment environment) {
        var configured = environment.getProperty(PROPERTY, "api,portal,runner");
        var roles = EnumSet.noneOf(VentiRole.class);
        for (var name : configured.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            try {
                roles.add(VentiRole.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        PROPERTY + " lists '" + name.strip() + "'; roles are " + Arrays.toString(VentiRole.values()));
            }
        }
        return roles;
    }

    /** Whether this process keeps platform data: the api and portal roles do, a runner alone does not. */
    public static boolean needsDatabase(Environment environment) {
        var roles = of(environment);
        return roles.contains(VentiRole.API) || roles.contains(VentiRole.PORTAL);
    }
}
