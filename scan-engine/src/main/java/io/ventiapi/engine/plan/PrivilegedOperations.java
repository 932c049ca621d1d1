package io.ventiapi.engine.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which operations look privileged, for function-level authorization checks: path segments and tags that say admin,
 * scopes that say admin, DELETE on a collection or on users, operations the document marks
 * ({@code x-privileged: true}) and operations the user marks ({@code METHOD /path} or an operationId).
 */
public final class PrivilegedOperations {

    /**
     * Words that make a tag or scope administrative. {@code manage} and {@code root} count here ({@code
     * folders:manage}, a {@code root} tag) but not in paths, where they as often name the caller's own things
     * ({@code /drive/root/children}, {@code /folders/manage}).
     */
    private static final Pattern PRIVILEGED_WORD = Pattern.compile(
            "(?i)(^|[/_\\-.:{}])(admin|administrator|administration|internal|management|manage|superuser|staff|backoffice|sysadmin|root)([/_\\-.:{}]|s?$)");

    /**
     * Path segments that, whole, say the operation is administrative: {@code /admin/users}, {@code /internal/jobs},
     * {@code /staff}. Only whole segments count for these words, as inside a longer segment they as often name
     * what everyone gets: {@code /books/staff-picks}, {@code /internal-transfers}, {@code /time-management}.
     */
    private static final Pattern PRIVILEGED_SEGMENT = Pattern.compile(
            "(?i)(admin|administrator|administration|internal|management|superuser|staff|backoffice|sysadmin)s?");

    /**
     * Words that say so also as one hyphen, underscore or dot separated part of a segment ({@code /admin-api},
     * {@code /user_admin}, {@code /admin.php}): they name nothing but administration.
     */
    private static final Pattern PRIVILEGED_TOKEN =
            Pattern.compile("(?i)(admin|administrator|superuser|sysadmin|backoffice)s?");

    private static final Pattern USERS = Pattern.compile("(?i).*/(users?|accounts?|members?)(/\\{[^}]+})?/?$");

    private final List<String> marked;

    /** @param marked operations the user marks privileged: {@code METHOD /path/template} or operationIds */
    public PrivilegedOperations(List<String> marked) {
        this.marked =
                marked.stream().map(m -> m.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether the operation looks like one only privileged users should call. */
    public boolean looksPrivileged(PlannedOperation op) {
        return pathSaysPrivileged(op) || declaredPrivileged(op);
    }

    /**
     * Whether a word of its path is all that makes the operation look privileged ({@code GET /api/internal/whoami}):
     * no mark, tag, scope or method says so. Such a path may serve each caller their own data.
     */
    public boolean privilegedByPathOnly(PlannedOperation op) {
        return pathSaysPrivileged(op) && !declaredPrivileged(op);
    }

    /** A path parameter ({@code {adminId}}) is a value the client picks, not a word of the path. */
    private static boolean pathSaysPrivileged(PlannedOperation op) {
        for (String segment : op.pathTemplate().split("/")) {
            if (segment.isEmpty() || segment.contains("{")) {
                continue;
            }
            if (PRIVILEGED_SEGMENT.matcher(segment).matches()
                    || Arrays.stream(segment.split("[-_.]"))
                            .anyMatch(token -> PRIVILEGED_TOKEN.matcher(token).matches())) {
                return true;
            }
        }
        return false;
    }

    /** Marked by the document or the user, tagged or scoped administrative, or a DELETE on a collection or users. */
    private boolean declaredPrivileged(PlannedOperation op) {
        if (op.markedPrivileged()
                || marked.contains(op.id().toLowerCase(Locale.ROOT))
                || marked.contains((op.method() + " " + op.pathTemplate()).toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (op.tags().stream().anyMatch(tag -> PRIVILEGED_WORD.matcher(tag).find())
                || op.scopes().stream()
                        .anyMatch(scope -> PRIVILEGED_WORD.matcher(scope).find())) {
            return true;
        }
        if (op.method().equals("DELETE")) {
            boolean collection = !op.pathTemplate().endsWith("}");
            return collection || USERS.matcher(op.pathTemplate()).matches();
        }
        return false;
    }
}
