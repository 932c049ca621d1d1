package io.ventiapi.server.devservices;

import io.ventiapi.protocol.JobSeal;
import io.ventiapi.server.role.VentiRoles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import redis.embedded.RedisServer;

/**
 * "Dev services": when no datasource is configured, starts an embedded PostgreSQL, and when no
 * Redis is configured, an embedded Redis, each on a free port of 127.0.0.1 with its data under
 * {@code venti.dev-services.dir} (default {@code ~/.ventiapi/dev}) kept across restarts. It also
 * creates the owner and runtime database roles, a master key, and allows loopback targets, so
 * one command runs the whole platform with nothing configured. Anything configured wins.
 */
public class DevServices implements EnvironmentPostProcessor {

    static final String ACTIVE = "venti.dev-services.active";

    private static EmbeddedPostgres postgres;
    private static RedisServer redis;

    private final Log log;

    public DevServices(DeferredLogFactory logs) {
        this.log = logs.getLog(DevServices.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("venti.dev-services.enabled", Boolean.class, true)) {
            return;
        }
        boolean needsDatabase =
                VentiRoles.needsDatabase(environment) && !environment.containsProperty("spring.datasource.url");
        boolean needsRedis = !environment.containsProperty("spring.data.redis.host")
                && !environment.containsProperty("spring.data.redis.url");
        if (!needsDatabase && !needsRedis) {
            return;
        }
        var dir = Path.of(
                environment.getProperty("venti.dev-services.dir", System.getProperty("user.home") + "/.ventiapi/dev"));
        var properties = new HashMap<String, Object>();
        try {
            Files.createDirectories(dir);
            if (needsDatabase) {
                properties.putAll(startPostgres(dir.resolve("postgres")));
            }
            if (needsRedis) {
                properties.putAll(startRedis(dir.resolve("redis")));
            }
            if (needsDatabase && !environment.containsProperty("venti.security.master-key")) {
                properties.put("venti.security.master-key", secretFile(dir.resolve("master.key")));
            }
            if (!environment.containsProperty(JobSeal.PROPERTY)) {
                properties.put(JobSeal.PROPERTY, secretFile(dir.resolve("job.key")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("dev services could not start under " + dir, e);
        }
        properties.put(ACTIVE, "true");
        properties.put("venti.dev-services.dir", dir.toString());
        // The local run scans and fetches from this machine; production refuses loopback.
        properties.putIfAbsent("venti.outbound.allow-loopback", "true");
        environment.getPropertySources().addLast(new MapPropertySource("venti-dev-services", properties));
    }

    private Map<String, Object> startPostgres(Path dataDir) throws IOException {
        synchronized (DevServices.class) {
            if (postgres == null) {
                Files.createDirectories(dataDir);
                postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setPort(freePort())
                        .start();
                createRolesAndDatabase(postgres);
                log.info("Dev services: started embedded PostgreSQL on 127.0.0.1:" + postgres.getPort() + " (data in "
                        + dataDir + ")");
            }
        }
        var url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/venti";
        return Map.of(
                "spring.datasource.url",
                url,
                "spring.datasource.username",
                DatabaseRoles.APP,
                "spring.datasource.password",
                "",
                "spring.liquibase.url",
                url,
                "spring.liquibase.user",
                DatabaseRoles.OWNER,
                "spring.liquibase.password",
                "",
                "spring.liquibase.parameters.app_role",
                DatabaseRoles.APP);
    }

    private static void createRolesAndDatabase(EmbeddedPostgres postgres) throws IOException {
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            DatabaseRoles.ensure(connection);
            try (var exists = statement.executeQuery("select 1 from pg_database where datname = 'venti'")) {
                if (!exists.next()) {
                    DatabaseRoles.createDatabase(connection, "venti");
                }
            }
        } catch (SQLException e) {
            throw new IOException("could not prepare the embedded PostgreSQL", e);
        }
    }

    private Map<String, Object> startRedis(Path dataDir) throws IOException {
        synchronized (DevServices.class) {
            if (redis == null) {
                Files.createDirectories(dataDir);
                int port = freePort();
                redis = RedisServer.builder()
                        .bind("127.0.0.1")
                        .port(port)
                        .setting("dir " + dataDir.toAbsolutePath())
                        .setting("appendonly yes")
                        .setting("save 60 1")
                        .build();
                redis.start();
                Runtime.getRuntime().addShutdownHook(new Thread(DevServices::stop, "dev-services-stop"));
                log.info("Dev services: started embedded Redis on 127.0.0.1:" + port + " (data in " + dataDir + ")");
            }
        }
        return Map.of(
                "spring.data.redis.host",
                "127.0.0.1",
                "spring.data.redis.port",
                redis.ports().getFirst());
    }

    /** A dev key (the master key, the job key): 32 random bytes, generated once, kept owner-readable only. */
    private static String secretFile(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        var raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        var key = Base64.getEncoder().encodeToString(raw);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key);
        return key;
    }

    /**
     * Stops what dev services started. Also called when the application fails to start: the
     * embedded Redis's output reader would otherwise keep the JVM alive.
     */
    static synchronized void stop() {
        if (redis != null) {
            redis.stop();
            redis = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                // the process is going away anyway
            }
            postgres = null;
        }
    }

    /** Stops dev services with the application context, or when it fails to start. */
    public static final class Lifecycle implements ApplicationListener<ApplicationEvent> {

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof ApplicationFailedEvent
                    || (event instanceof ContextClosedEvent closed
                            && closed.getApplicationContext().getParent() == null)) {
                stop();
            }
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
