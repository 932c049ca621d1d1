package io.ventiapi.engine.plan;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One operation (method + path) of the API, with everything needed to build requests for it.
 *
 * @param id the operationId, or {@code METHOD path} when the document has none; unique in the plan
 * @param method upper-case HTTP method
 * @param pathTemplate the documented path, e.g. {@code /users/{id}}
 * @param parameters path, query, header and cookie parameters (path-level and operation-level merged)
 * @param body the request body, or null
 * @param responses documented responses in document order
 * @param security alternatives of required scheme names; empty means no authentication is required
 * @param links OpenAPI links declared on the responses
 * @param tags the operation's tags
 * @param scopes OAuth2/OpenID scopes its security requirements name
 * @param markedPrivileged whether the document marks it privileged ({@code x-privileged: true} or
 *     {@code x-admin: true})
 */
public record PlannedOperation(
        String id,
        String method,
        String pathTemplate,
        List<PlannedParameter> parameters,
        PlannedBody body,
        List<PlannedResponse> responses,
        List<Set<String>> security,
        List<PlannedLink> links,
        List<String> tags,
        List<String> scopes,
        boolean markedPrivileged) {

    private static final Set<String> DESTRUCTIVE = Set.of("PUT", "PATCH", "DELETE");

    public PlannedOperation {
        parameters = List.copyOf(parameters);
        responses = List.copyOf(responses);
        security = List.copyOf(security);
        links = List.copyOf(links);
        tags = List.copyOf(tags);
        scopes = List.copyOf(scopes);
    }

    /** An operation without tags, scopes or marks. */
    public PlannedOperation(
            String id,
            String method,
            String pathTemplate,
            List<PlannedParameter> parameters,
            PlannedBody body,
            List<PlannedResponse> responses,
            List<Set<String>> security,
            List<PlannedLink> links) {
        this(id, method, pathTemplate, parameters, body, responses, security, links, List.of(), List.of(), false);
    }

    /** True when every security alternative requires some credential. */
    public boolean requiresAuthentication() {
        return !security.isEmpty() && security.stream().noneMatch(Set::isEmpty);
    }

    /** PUT, PATCH and DELETE change or remove existing resources. */
    public boolean isDestructive() {
        return DESTRUCTIVE.contains(method);
    }

    /** The documented response for a status code, exact codes before ranges before {@code default}. */
    public Optional<PlannedResponse> responseFor(int status) {
        return responses.stream()
                .filter(r -> r.covers(status))
                .min((a, b) -> Integer.compare(specificity(a), specificity(b)));
    }

    /** The documented success responses. */
    public List<PlannedResponse> successResponses() {
        return responses.stream().filter(r -> r.status().startsWith("2")).toList();
    }

    public List<PlannedParameter> pathParameters() {
        return parameters.stream()
                .filter(p -> p.location() == ParameterLocation.PATH)
                .toList();
    }

    private static int specificity(PlannedResponse response) {
        String s = response.status().toUpperCase(Locale.ROOT);
        return s.equals("DEFAULT") ? 2 : s.endsWith("XX") ? 1 : 0;
    }

    /**
     * An OpenAPI link: a value of this operation's response feeds a parameter of another operation.
     *
     * @param targetOperationId the operation that consumes the value
     * @param targetParameter the parameter name it feeds
     * @param expression the runtime expression, e.g. {@code $response.body#/id}
     */
    public record PlannedLink(String targetOperationId, String targetParameter, String expression) {}
}
