package io.ventiapi.engine.plan;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an operation is for, guessed from its path and operationId: login, logout, registration, password reset,
 * and POSTs that only query (search, lookup, validate) rather than create.
 */
public final class OperationKinds {

    private static final Pattern LOGIN = Pattern.compile("(?i).*(login|log-in|signin|sign-in|authenticate).*");
    private static final Pattern LOGOUT =
            Pattern.compile("(?i).*(logout|log-out|signout|sign-out|logoff|revoke|end-?session).*");
    /**
     * Operations that (re)build or wipe the whole data store, whatever their method: {@code GET /createdb},
     * {@code POST /reset-database}, {@code populate_db}, {@code /seed-data}. Sent once, let alone probed, they would
     * throw away the accounts, sessions and objects the scan works with, mid-scan.
     */
    private static final Pattern DATA_STORE_RESET = Pattern.compile(
            "(?i).*(^|[^a-z])(create|init|initiali[sz]e|re-?init|reset|populate|seed|drop|purge|wipe|truncate|flush|restore)"
                    + "[-_]?(db|database|datastore|data|schema|tables?)([^a-z]|$).*");

    private static final Pattern REGISTRATION = Pattern.compile("(?i).*(register|signup|sign-up|registration).*");
    private static final Pattern PASSWORD_RESET =
            Pattern.compile("(?i).*(password[-_/]?reset|reset[-_/]?password|forgot|recover).*");
    private static final Pattern PASSWORD_CHANGE = Pattern.compile(
            "(?i).*/(password|passwd|pwd|passphrase|credentials?)$|.*(change|update|set|new)[-_]?(password|passwd|pwd).*");
    private static final Pattern QUERY_LIKE = Pattern.compile(
            "(?i).*/(search|lookup|query|find|filter|validate|verify|check|calculate|estimate|preview|graphql|batch-get|_search)[^/]*$|^(search|lookup|query|find|get|list|validate|check).*");

    private OperationKinds() {}

    public static boolean isLogin(PlannedOperation op) {
        return op.method().equals("POST")
                && (LOGIN.matcher(op.pathTemplate()).matches()
                        || LOGIN.matcher(op.id()).matches())
                && !neverSentByItself(op);
    }

    /**
     * Operations the scan never sends by itself: logout and token revocation, resets of the whole data store,
     * and password changes. They would end the scan's own session, wipe the accounts and objects it works with,
     * or lock it out of its test accounts.
     */
    public static boolean neverSentByItself(PlannedOperation op) {
        return endsSession(op) || isDataStoreReset(op) || isPasswordChange(op);
    }

    /**
     * Setting an account's password ({@code PUT /users/{name}/password}, {@code POST /me/change-password}): not
     * a baseline, not probed with injection payloads, which would leave the scan's own test account with a
     * password nobody knows. Only the check that tests who may change whose password sends it, and it puts the
     * password back.
     */
    public static boolean isPasswordChange(PlannedOperation op) {
        return !op.method().equals("GET")
                && !op.method().equals("DELETE")
                && (PASSWORD_CHANGE.matcher(op.pathTemplate()).matches()
                        || PASSWORD_CHANGE.matcher(op.id()).matches())
                && !LOGIN.matcher(op.pathTemplate()).matches()
                && !REGISTRATION.matcher(op.pathTemplate()).matches()
                && !PASSWORD_RESET.matcher(op.pathTemplate()).matches()
                && !PASSWORD_RESET.matcher(op.id()).matches();
    }

    /** Logout and token revocation proper: the operation that ends the caller's session. */
    public static boolean endsSession(PlannedOperation op) {
        return LOGOUT.matcher(op.pathTemplate()).matches()
                || LOGOUT.matcher(op.id()).matches();
    }

    /** An operation that rebuilds or wipes the whole data store ({@code GET /createdb}, {@code POST /reset-db}). */
    public static boolean isDataStoreReset(PlannedOperation op) {
        return DATA_STORE_RESET.matcher(op.pathTemplate()).matches()
                || DATA_STORE_RESET.matcher(op.id()).matches();
    }

    public static boolean isRegistration(PlannedOperation op) {
        return op.method().equals("POST")
                && (REGISTRATION.matcher(op.pathTemplate()).matches()
                        || REGISTRATION.matcher(op.id()).matches());
    }

    public static boolean isPasswordReset(PlannedOperation op) {
        return op.method().equals("POST")
                && (PASSWORD_RESET.matcher(op.pathTemplate()).matches()
                        || PASSWORD_RESET.matcher(op.id()).matches());
    }

    /** A POST that reads rather than creates: search, lookup, validation, login. */
    public static boolean isQueryLikePost(PlannedOperation op) {
        return op.method().equals("POST")
                && (QUERY_LIKE.matcher(op.pathTemplate()).matches()
                        || QUERY_LIKE.matcher(op.id()).matches());
    }

    /** The item operation path for a collection: {@code /orders} → the first {@code /orders/{x}} with this method. */
    public static Optional<PlannedOperation> itemOperation(ScanPlan plan, PlannedOperation collection, String method) {
        String prefix = collection.pathTemplate() + "/{";
        return plan.operations().stream()
                .filter(op -> op.method().equals(method)
                        && op.pathTemplate().startsWith(prefix)
                        && op.pathTemplate().indexOf('/', prefix.length()) < 0
                        && op.pathTemplate().endsWith("}"))
                .findFirst();
    }

    /** The POST that creates items of the collection an item path belongs to: {@code /orders/{id}} → POST /orders. */
    public static Optional<PlannedOperation> creatingOperation(ScanPlan plan, PlannedOperation item) {
        String template = item.pathTemplate();
        int lastOpen = template.lastIndexOf("/{");
        if (lastOpen < 0 || !template.endsWith("}")) {
            return Optional.empty();
        }
        String collection = template.substring(0, lastOpen);
        return plan.operations().stream()
                .filter(op -> op.method().equals("POST") && op.pathTemplate().equals(collection))
                .findFirst();
    }

    /** The name of the last path parameter of an item path, or null. */
    public static String itemParameter(PlannedOperation item) {
        String template = item.pathTemplate();
        int lastOpen = template.lastIndexOf("/{");
        return lastOpen < 0 || !template.endsWith("}") ? null : template.substring(lastOpen + 2, template.length() - 1);
    }
}
