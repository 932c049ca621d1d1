package io.ventiapi.runner.launch.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private folders local scans keep their spec and arguments (identities in clear) in. Each is
 * named after the moment its scan can no longer be running ({@code venti-scan-expires-<epoch
 * second>-<random>}), so that a runner starting up removes those a runner that died left behind, and
 * none a live runner sharing the parent still uses.
 */
final class ScanWorkDirectories {

    private static final Logger log = LoggerFactory.getLogger(ScanWorkDirectories.class);

    static final String PREFIX = "venti-scan-expires-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,18})-\\d+");

    private ScanWorkDirectories() {}

    /** A new folder in {@code parent} only this user can enter, to be swept after {@code expires}. */
    static Path create(Path parent, Instant expires) throws IOException {
        return Files.createTempDirectory(
                Files.createDirectories(parent),
                PREFIX + expires.getEpochSecond() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * Removes the folders in {@code parent} this launcher created whose scans expired before {@code
     * now}; leaves everything else (other names, links, folders of scans that may still run).
     *
     * @return how many were removed
     */
    static int sweep(Path parent, Instant now) {
        if (!Files.isDirectory(parent)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path entry : entries) {
                var name = NAME.matcher(entry.getFileName().toString());
                if (name.matches()
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                        && Instant.ofEpochSecond(Long.parseLong(name.group(1))).isBefore(now)
                        && delete(entry)) {
                    removed++;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not sweep the scan work directories of {}: {}", parent, e.toString());
        }
        return removed;
    }

    /** Removes {@code directory} and what it holds; links are removed, not followed. */
    static boolean delete(Path directory) {
        if (directory == null || !Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return true;
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not remove scan work directory {}", directory);
            return false;
        }
    }
}
