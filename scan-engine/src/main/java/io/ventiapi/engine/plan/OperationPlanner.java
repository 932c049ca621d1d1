package io.ventiapi.engine.plan;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.links.Link;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.ventiapi.engine.spec.LoadedSpec;
import io.ventiapi.engine.spec.SchemaResolver;
import io.ventiapi.engine.spec.SpecRefusedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns a loaded API description into a {@link ScanPlan}: operations, parameters, bodies and dependencies. */
public final class OperationPlanner {

    private static final int PROPERTY_SCAN_DEPTH = 3;
    private static final int MAX_SCHEMA_NAME_PRODUCERS = 3;
    private static final java.util.regex.Pattern IDENTIFIER_NAME =
            java.util.regex.Pattern.compile("(?i).*(id|uuid|key|slug|sid|number)$");

    /**
     * Plans the document.
     *
     * @throws SpecRefusedException if it declares no operations to scan
     */
    public ScanPlan plan(LoadedSpec spec) {
        OpenAPI api = spec.openApi();
        SchemaResolver resolver = new SchemaResolver(api);
        List<PlannedOperation> operations = new ArrayList<>();
        Set<String> usedIds = new HashSet<>();
        List<SecurityRequirement> globalSecurity = api.getSecurity();
        if (api.getPaths() != null) {
            for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
                PathItem item = path.getValue();
                if (item == null) {
                    continue;
                }
                for (Map.Entry<PathItem.HttpMethod, Operation> entry :
                        item.readOperationsMap().entrySet()) {
                    operations.add(planOperation(
                            resolver,
                            path.getKey(),
                            item,
                            entry.getKey().name(),
                            entry.getValue(),
                            globalSecurity,
                            usedIds));
                }
            }
        }
        if (operations.isEmpty()) {
            int webhooks = api.getWebhooks() == null ? 0 : api.getWebhooks().size();
            throw SpecRefusedException.invalid(
                    spec.location(),
                    webhooks > 0
                            ? "it declares no operations under 'paths', only " + webhooks
                                    + " webhook(s) that the API calls out to; there is nothing to scan"
                            : "it declares no operations under 'paths'; there is nothing to scan");
        }
        DependencyGraph graph = new DependencyGraph(inferDependencies(operations, resolver));
        List<String> servers = api.getServers() == null
                ? List.of()
                : api.getServers().stream().map(Server::getUrl).toList();
        String title = api.getInfo() == null ? "" : String.valueOf(api.getInfo().getTitle());
        String version =
                api.getInfo() == null ? "" : String.valueOf(api.getInfo().getVersion());
        return new ScanPlan(title, version, servers, operations, graph, securitySchemes(api), resolver);
    }

    private static PlannedOperation planOperation(
            SchemaResolver resolver,
            String path,
            PathItem item,
            String method,
            Operation op,
            List<SecurityRequirement> globalSecurity,
            Set<String> usedIds) {
        Map<String, PlannedParameter> parameters = new LinkedHashMap<>();
        for (List<Parameter> list : java.util.Arrays.asList(item.getParameters(), op.getParameters())) {
            if (list == null) {
                continue;
            }
            for (Parameter raw : list) {
                Parameter p = resolver.resolve(raw);
                if (p == null || p.getName() == null) {
                    continue;
                }
                ParameterLocation location = ParameterLocation.fromOpenApi(p.getIn());
                Schema<?> schema = p.getSchema();
                if (schema == null && p.getContent() != null && !p.getContent().isEmpty()) {
                    schema = p.getContent().values().iterator().next().getSchema();
                }
                Object example = p.getExample();
                if (example == null
                        && p.getExamples() != null
                        && !p.getExamples().isEmpty()) {
                    example = p.getExamples().values().iterator().next().getValue();
                }
                // Operation-level parameters override path-level ones with the same name and location.
                parameters.put(
                        location + ":" + p.getName(),
                        new PlannedParameter(
                                p.getName(),
                                location,
                                location == ParameterLocation.PATH || Boolean.TRUE.equals(p.getRequired()),
                                schema,
                                example));
            }
        }
        String id = op.getOperationId() != null && !op.getOperationId().isBlank()
                ? op.getOperationId()
                : method + " " + path;
        while (!usedIds.add(id)) {
            id = id + "'";
        }
        List<Set<String>> security = new ArrayList<>();
        Set<String> scopes = new LinkedHashSet<>();
        List<SecurityRequirement> requirements = op.getSecurity() != null ? op.getSecurity() : globalSecurity;
        if (requirements != null) {
            requirements.forEach(r -> {
                security.add(new LinkedHashSet<>(r.keySet()));
                r.values().forEach(list -> scopes.addAll(list == null ? List.of() : list));
            });
        }
        Map<String, Object> extensions = op.getExtensions() == null ? Map.of() : op.getExtensions();
        boolean marked =
                Boolean.TRUE.equals(extensions.get("x-privileged")) || Boolean.TRUE.equals(extensions.get("x-admin"));
        List<PlannedResponse> responses = new ArrayList<>();
        List<PlannedOperation.PlannedLink> links = new ArrayList<>();
        if (op.getResponses() != null) {
            for (Map.Entry<String, ApiResponse> entry : op.getResponses().entrySet()) {
                ApiResponse response = resolver.resolve(entry.getValue());
                MediaTypeChoice choice = response == null ? null : choose(response.getContent());
                responses.add(new PlannedResponse(
                        entry.getKey(),
                        choice == null ? null : choice.name(),
                        choice == null ? null : choice.schema()));
                if (response != null && response.getLinks() != null) {
                    for (Link declared : response.getLinks().values()) {
                        Link link = resolver.resolve(declared);
                        if (link != null && link.getOperationId() != null && link.getParameters() != null) {
                            link.getParameters()
                                    .forEach((name, expression) -> links.add(new PlannedOperation.PlannedLink(
                                            link.getOperationId(), name, String.valueOf(expression))));
                        }
                    }
                }
            }
        }
        return new PlannedOperation(
                id,
                method.toUpperCase(Locale.ROOT),
                path,
                List.copyOf(parameters.values()),
                planBody(resolver, op.getRequestBody()),
                responses,
                security,
                links,
                op.getTags() == null ? List.of() : op.getTags(),
                List.copyOf(scopes),
                marked);
    }

    private static PlannedBody planBody(SchemaResolver resolver, RequestBody raw) {
        RequestBody body = resolver.resolve(raw);
        if (body == null) {
            return null;
        }
        MediaTypeChoice choice = choose(body.getContent());
        if (choice == null) {
            return null;
        }
        Object example = choice.media().getExample();
        if (example == null
                && choice.media().getExamples() != null
                && !choice.media().getExamples().isEmpty()) {
            example = choice.media().getExamples().values().iterator().next().getValue();
        }
        return new PlannedBody(choice.name(), choice.schema(), example, Boolean.TRUE.equals(body.getRequired()));
    }

    private record MediaTypeChoice(String name, MediaType media, Schema<?> schema) {}

    private static MediaTypeChoice choose(Content content) {
        if (content == null || content.isEmpty()) {
            return null;
        }
        List<String> preference = List.of("application/json", "json", "x-www-form-urlencoded", "multipart/form-data");
        for (String wanted : preference) {
            for (Map.Entry<String, MediaType> entry : content.entrySet()) {
                if (entry.getKey().toLowerCase(Locale.ROOT).contains(wanted) && entry.getValue() != null) {
                    return new MediaTypeChoice(
                            entry.getKey(), entry.getValue(), entry.getValue().getSchema());
                }
            }
        }
        Map.Entry<String, MediaType> first = content.entrySet().iterator().next();
        MediaType media = first.getValue() == null ? new MediaType() : first.getValue();
        return new MediaTypeChoice(first.getKey(), media, media.getSchema());
    }

    private static Map<String, SecuritySchemeInfo> securitySchemes(OpenAPI api) {
        Map<String, SecuritySchemeInfo> schemes = new HashMap<>();
        if (api.getComponents() == null || api.getComponents().getSecuritySchemes() == null) {
            return schemes;
        }
        api.getComponents().getSecuritySchemes().forEach((name, scheme) -> {
            if (scheme == null || scheme.getType() == null) {
                return;
            }
            String tokenUrl = null;
            if (scheme.getType() == SecurityScheme.Type.OAUTH2 && scheme.getFlows() != null) {
                OAuthFlow flow = scheme.getFlows().getClientCredentials() != null
                        ? scheme.getFlows().getClientCredentials()
                        : scheme.getFlows().getPassword();
                tokenUrl = flow == null ? null : flow.getTokenUrl();
            }
            schemes.put(
                    name,
                    new SecuritySchemeInfo(
                            name,
                            scheme.getType().toString(),
                            scheme.getIn() == null ? null : scheme.getIn().toString(),
                            scheme.getName(),
                            scheme.getScheme() == null
                                    ? null
                                    : scheme.getScheme().toLowerCase(Locale.ROOT),
                            tokenUrl));
        });
        return schemes;
    }

    /** Infers producer → consumer edges for every path parameter: links first, then paths, then schema names. */
    static List<DependencyEdge> inferDependencies(List<PlannedOperation> operations, SchemaResolver resolver) {
        List<DependencyEdge> edges = new ArrayList<>();
        Map<String, PlannedOperation> byOperationId = new HashMap<>();
        operations.forEach(op -> byOperationId.put(op.id(), op));
        Map<String, Set<String>> responseProperties = new HashMap<>();
        for (PlannedOperation op : operations) {
            if (op.method().equals("GET") || op.method().equals("POST")) {
                Set<String> names = new HashSet<>();
                for (PlannedResponse response : op.successResponses()) {
                    collectPropertyNames(resolver, response.schema(), names, PROPERTY_SCAN_DEPTH);
                }
                responseProperties.put(op.id(), names);
            }
            for (PlannedOperation.PlannedLink link : op.links()) {
                PlannedOperation target = byOperationId.get(link.targetOperationId());
                if (target != null && link.expression().startsWith("$response.body")) {
                    String pointer = link.expression().substring("$response.body".length());
                    edges.add(new DependencyEdge(
                            op.id(),
                            target.id(),
                            link.targetParameter(),
                            pointer.startsWith("#") ? pointer.substring(1) : pointer,
                            DependencyEdge.Reason.LINK));
                }
            }
        }
        Map<String, List<PlannedOperation>> producersByPath = new HashMap<>();
        for (PlannedOperation op : operations) {
            if (responseProperties.containsKey(op.id())) {
                producersByPath
                        .computeIfAbsent(stripTrailingSlash(op.pathTemplate()), k -> new ArrayList<>())
                        .add(op);
            }
        }
        for (PlannedOperation consumer : operations) {
            for (PlannedParameter param : consumer.pathParameters()) {
                String placeholder = "{" + param.name() + "}";
                int at = consumer.pathTemplate().indexOf(placeholder);
                if (at < 0) {
                    continue;
                }
                String collection = stripTrailingSlash(consumer.pathTemplate().substring(0, at));
                for (PlannedOperation producer : producersByPath.getOrDefault(collection, List.of())) {
                    Set<String> props = responseProperties.get(producer.id());
                    String field = props.contains(param.name()) ? param.name() : "id";
                    edges.add(new DependencyEdge(
                            producer.id(), consumer.id(), param.name(), field, DependencyEdge.Reason.PATH));
                }
                // Only identifier-like names: "name" or "namespace" appear in nearly every schema of large
                // APIs and would add a million meaningless edges. A few producers are enough to find a value.
                if (!param.name().equalsIgnoreCase("id")
                        && IDENTIFIER_NAME.matcher(param.name()).matches()) {
                    int added = 0;
                    for (PlannedOperation producer : operations) {
                        Set<String> props = responseProperties.get(producer.id());
                        if (added < MAX_SCHEMA_NAME_PRODUCERS
                                && producer != consumer
                                && props != null
                                && props.contains(param.name())
                                && !stripTrailingSlash(producer.pathTemplate()).equals(collection)) {
                            edges.add(new DependencyEdge(
                                    producer.id(),
                                    consumer.id(),
                                    param.name(),
                                    param.name(),
                                    DependencyEdge.Reason.SCHEMA_NAME));
                            added++;
                        }
                    }
                }
            }
        }
        return edges;
    }

    private static void collectPropertyNames(SchemaResolver resolver, Schema<?> raw, Set<String> names, int depth) {
        Schema<?> schema = resolver.resolve(raw);
        if (schema == null || depth == 0) {
            return;
        }
        if (schema.getItems() != null) {
            collectPropertyNames(resolver, schema.getItems(), names, depth - 1);
        }
        if (schema.getProperties() != null) {
            for (Map.Entry<String, Schema> property : schema.getProperties().entrySet()) {
                names.add(property.getKey());
                collectPropertyNames(resolver, property.getValue(), names, depth - 1);
            }
        }
        for (List<Schema> composed : java.util.Arrays.asList(schema.getAllOf(), schema.getOneOf(), schema.getAnyOf())) {
            if (composed != null) {
                composed.forEach(s -> collectPropertyNames(resolver, s, names, depth - 1));
            }
        }
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
