package io.ventiapi.platform.finding;

import io.ventiapi.platform.project.Project;
import io.ventiapi.platform.scan.Scan;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.Window;

/**
 * A page of findings, and the projects and last-seen scans read in the same statement when the
 * caller asked for them and may read them (else empty).
 *
 * @param findings the page
 * @param projects the page's projects by id
 * @param lastSeenScans the page's last-seen scans by id
 */
public record FindingPage(Window<Finding> findings, Map<UUID, Project> projects, Map<UUID, Scan> lastSeenScans) {}
