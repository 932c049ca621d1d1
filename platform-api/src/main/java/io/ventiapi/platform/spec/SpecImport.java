package io.ventiapi.platform.spec;

import java.util.List;

/**
 * The outcome of giving a project a document: either a version (new, or the existing one with the
 * same content) or the problems that made the document unacceptable.
 *
 * @param version the version, or null when refused
 * @param created whether this call created the version
 * @param problems why the document was refused; empty when accepted
 */
public record SpecImport(SpecVersion version, boolean created, List<SpecProblem> problems) {

    static SpecImport refused(List<SpecProblem> problems) {
        return new SpecImport(null, false, List.copyOf(problems));
    }
}
