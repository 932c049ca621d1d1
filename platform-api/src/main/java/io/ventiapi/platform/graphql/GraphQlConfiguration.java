package io.ventiapi.platform.graphql;

import graphql.ErrorClassification;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.dataloader.DataLoaderDispatchingContextKeys;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.OperationDefinition;
import graphql.language.StringValue;
import graphql.parser.Parser;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLScalarType;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeUtil;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.tracing.Tracer;
import io.ventiapi.platform.common.ErrorCode;
import io.ventiapi.platform.common.IsoInstants;
import io.ventiapi.platform.common.Keysets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.graphql.data.pagination.CursorEncoder;
import org.springframework.graphql.data.pagination.CursorStrategy;
import org.springframework.graphql.data.pagination.EncodingCursorStrategy;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.graphql.observation.DataFetcherObservationContext;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Limits that keep hostile queries cheap, the {@code DateTime} scalar, and error shaping. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GraphQlConfiguration.Limits.class)
class GraphQlConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GraphQlConfiguration.class);

    /**
     * {@code venti.graphql.*}.
     *
     * @param maxDepth deepest selection nesting accepted
     * @param maxComplexity most fields a query may select, counted over the whole document, each
     *     field inside a connection once per item of a page ({@code DocumentLimits}); a page of 100
     *     findings with 30 fields each is 3,000
     * @param maxRequestBytes largest request body accepted (spec uploads travel in it, as one string);
     *     any request may be that large, its operation being known only once the body is read, which
     *     {@link GraphQlHttpEndpoint} does within a count of JSON tokens and a nesting depth
     * @param maxConcurrentQueries most query operations executing at once (unset: twice the
     *     processors); the others wait their turn in order
     * @param maxQueryWait longest a query waits for its turn before it is answered "busy"
     */
    @ConfigurationProperties("venti.graphql")
    record Limits(
            @DefaultValue("15") int maxDepth,
            @DefaultValue("5000") int maxComplexity,
            @DefaultValue("16777216") long maxRequestBytes,
            Integer maxConcurrentQueries,
            @DefaultValue("30s") Duration maxQueryWait) {

        int concurrentQueries() {
            return maxConcurrentQueries != null
                    ? maxConcurrentQueries
                    : 2 * Runtime.getRuntime().availableProcessors();
        }
    }

    /** The code of the error a query gets when its turn did not come in time (HTTP 503). */
    static final String BUSY = "BUSY";

    /**
     * Answers requests that never reached execution (unparseable, invalid, over a limit) with
     * 400, and queries that waited too long for their turn with 503, whatever media type the client accepts, not only for {@code
     * application/graphql-response+json}: tooling and proxies see the failure in the status.
     */
    @Bean
    GraphQlHttpHandler graphQlHttpHandler(WebGraphQlHandler webGraphQlHandler, JsonMapper jsonMapper) {
        return new GraphQlHttpEndpoint(webGraphQlHandler, jsonMapper);
    }

    /**
     * 200 with data; without: 503 for a query whose turn did not come or whose database was away
     * ({@link #BUSY}), 500 for a request that failed unexpectedly before it could execute, else 400.
     */
    static HttpStatus responseStatus(WebGraphQlResponse response) {
        if (response.getExecutionResult().isDataPresent()) {
            return HttpStatus.OK;
        }
        var codes = response.getErrors().stream()
                .map(error -> error.getExtensions().get("code"))
                .toList();
        if (codes.contains(BUSY)) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        return codes.contains(TransportErrors.INTERNAL_ERROR)
                ? HttpStatus.INTERNAL_SERVER_ERROR
                : HttpStatus.BAD_REQUEST;
    }

    /** Refuses GraphQL request bodies over {@code venti.graphql.max-request-bytes} before anything reads them. */
    @Bean
    FilterRegistrationBean<RequestSizeLimit> graphQlRequestSizeLimit(Limits limits) {
        var registration = new FilterRegistrationBean<>(new RequestSizeLimit(limits.maxRequestBytes()));
        registration.addUrlPatterns("/graphql");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Observes the top-level fields of an operation (and, through {@code graphql.dataloader}, each
     * batch load), not every nested field: a page of 50 findings with their project and scan
     * would otherwise start 100 observations, each a trace span, to time map look-ups.
     */
    @Bean
    ObservationPredicate topLevelDataFetchersOnly() {
        return (name, context) -> !(context instanceof DataFetcherObservationContext fetcher)
                || fetcher.getEnvironment().getExecutionStepInfo().getPath().getLevel() <= 1;
    }

    /**
     * Batch loads are dispatched when execution has nothing else to do (graphql-java's "exhausted"
     * strategy), not by counting every field of every level: the per-level bookkeeping ran for
     * each of the ~850 fields of a page of 50 findings, and dropping it served about 45 % more
     * pages per second on a dev run (ADR 8).
     */
    @Bean
    WebGraphQlInterceptor exhaustedDataLoaderDispatching() {
        return (request, chain) -> {
            request.configureExecutionInput((input, builder) -> {
                DataLoaderDispatchingContextKeys.setEnableDataLoaderExhaustedDispatching(
                        input.getGraphQLContext(), true);
                return input;
            });
            return chain.next(request);
        };
    }

    /**
     * Relay cursors ({@link CompactCursors}, base64), where a cursor the server never issued
     * (edited, truncated, from another list) is refused as bad input on {@code after} rather than
     * failing as an internal error.
     */
    @Bean
    EncodingCursorStrategy<ScrollPosition> checkedCursorStrategy() {
        var positions = new CompactCursors();
        var base64 = CursorEncoder.base64();
        CursorStrategy<ScrollPosition> checked = new CursorStrategy<>() {
            @Override
            public boolean supports(Class<?> targetType) {
                return positions.supports(targetType);
            }

            @Override
            public String toCursor(ScrollPosition position) {
                return positions.toCursor(position);
            }

            @Override
            public ScrollPosition fromCursor(String cursor) {
                try {
                    return positions.fromCursor(cursor);
                } catch (RuntimeException e) {
                    throw Keysets.notACursor();
                }
            }
        };
        CursorEncoder checkedBase64 = new CursorEncoder() {
            @Override
            public String encode(String cursor) {
                return base64.encode(cursor);
            }

            @Override
            public String decode(String cursor) {
                try {
                    return base64.decode(cursor);
                } catch (RuntimeException e) {
                    throw Keysets.notACursor();
                }
            }
        };
        return CursorStrategy.withEncoder(checked, checkedBase64);
    }

    /**
     * Registered through a source customizer, which Boot applies after it has generated the Relay
     * connection types, so there is something to describe.
     */
    @Bean
    GraphQlSourceBuilderCustomizer connectionDescriptions() {
        return builder -> builder.configureTypeDefinitions(new ConnectionDescriptions());
    }

    /** Parsed, validated and limit-checked documents, kept (the limits were instrumentations, run per request). */
    @Bean
    ParsedDocumentCache parsedDocumentCache(Limits limits) throws IOException {
        return new ParsedDocumentCache(
                new DocumentLimits(limits.maxDepth(), limits.maxComplexity(), connectionFields()));
    }

    /** The names of the schema's fields whose type is a connection, read from the schema files. */
    static Set<String> connectionFields() throws IOException {
        var names = new HashSet<String>();
        for (var file : new PathMatchingResourcePatternResolver().getResources("classpath*:graphql/**/*.graphqls")) {
            try (var in = file.getInputStream()) {
                var types = new SchemaParser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                types.types().values().stream()
                        .filter(ObjectTypeDefinition.class::isInstance)
                        .map(ObjectTypeDefinition.class::cast)
                        .forEach(type -> connections(type.getFieldDefinitions(), names));
                types.objectTypeExtensions()
                        .values()
                        .forEach(extensions ->
                                extensions.forEach(extension -> connections(extension.getFieldDefinitions(), names)));
            }
        }
        return names;
    }

    private static void connections(List<FieldDefinition> fields, Set<String> names) {
        for (var field : fields) {
            if (TypeUtil.unwrapAll(field.getType()).getName().endsWith("Connection")) {
                names.add(field.getName());
            }
        }
    }

    /**
     * Installs the document cache and, when there is only one instrumentation (observation), that
     * one itself: Spring GraphQL always wraps the instrumentations in a {@link ChainedInstrumentation},
     * which allocates at each of the hooks every field passes (a page of 50 findings has about 850
     * fields), and that was about a twelfth of a findings page's CPU.
     */
    @Bean
    GraphQlSourceBuilderCustomizer parsedDocuments(
            ParsedDocumentCache documents, ObjectProvider<Instrumentation> instrumentations) {
        return builder -> builder.configureGraphQl(graphQl -> {
            graphQl.preparsedDocumentProvider((input, parse) -> {
                QueryAdmission.Ticket ticket = input.getGraphQLContext().get(QueryAdmission.Ticket.class);
                var document = documents.getDocumentAsync(input, parse);
                return ticket == null ? document : document.thenApply(entry -> admitted(input, entry, ticket));
            });
            var all = instrumentations.orderedStream().toList();
            if (all.size() == 1) {
                graphQl.instrumentation(all.getFirst());
            }
        });
    }

    /**
     * A request whose operation {@link #queriesInOneReadOnlyTransaction} could not tell takes its
     * place among the queries executing now that its document is parsed, if it runs a query: the
     * limit holds for documents the cache does not keep too.
     */
    private static PreparsedDocumentEntry admitted(
            ExecutionInput input, PreparsedDocumentEntry entry, QueryAdmission.Ticket ticket) {
        if (entry.hasErrors()
                || !ParsedDocumentCache.operation(entry.getDocument(), input.getOperationName())
                        .equals(Optional.of(OperationDefinition.Operation.QUERY))
                || ticket.enter()) {
            return entry;
        }
        return new PreparsedDocumentEntry(GraphqlErrorBuilder.newError()
                .message(BUSY_MESSAGE)
                .extensions(Map.of("code", BUSY))
                .errorType(graphql.ErrorType.ExecutionAborted)
                .build());
    }

    @Bean
    GraphQlSourceBuilderCustomizer dataLoaderFieldsWithoutContextPropagation() {
        return builder -> builder.typeVisitors(List.of(new DataLoaderFields()));
    }

    /**
     * Query operations over HTTP execute at most {@code venti.graphql.max-concurrent-queries} at
     * once, in the order they came; one whose turn does not come within {@code max-query-wait} is
     * answered 503 with a {@code BUSY} error.
     */
    @Bean
    QueryAdmission queryAdmission(Limits limits) {
        return new QueryAdmission(limits.concurrentQueries(), limits.maxQueryWait());
    }

    /**
     * Runs a query operation over HTTP in one read-only transaction: its fields and batch loads
     * share one connection, one tenant binding and one Hibernate session, where each service call
     * used to begin and end a transaction of its own (a page of findings with their project and
     * scan took three). The services' own transactions join it. Mutations keep a transaction per
     * call (each writes its audit event with it), subscriptions and WebSocket requests are left
     * alone, and so is a document the {@link ParsedDocumentCache} has not kept yet (its first
     * request, or one too large to keep), whose operation is not known before it executes. The
     * transaction always ends in a rollback: nothing in it is written, and a field that failed
     * inside it must not fail the whole response at commit (ADR 8). Every query operation waits
     * its turn ({@link QueryAdmission}): these before they hold a connection, a document not kept
     * once it is parsed and known to run a query ({@link #admitted}). A request that fails outside
     * its fields (its transaction cannot begin: the pool exhausted, the database failing over) is
     * answered with a GraphQL error all the same ({@link TransportErrors#failure}).
     */
    @Bean
    WebGraphQlInterceptor queriesInOneReadOnlyTransaction(
            PlatformTransactionManager transactions,
            ParsedDocumentCache documents,
            QueryAdmission admission,
            ObjectProvider<Tracer> tracer) {
        var readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
        return (request, chain) -> {
            if (request instanceof WebSocketGraphQlRequest) {
                return chain.next(request);
            }
            return Mono.defer(() -> inTurn(request, chain, documents, admission, readOnly))
                    .onErrorResume(e -> Mono.just(failed(request, e, tracer.getIfAvailable())));
        };
    }

    private static Mono<WebGraphQlResponse> inTurn(
            WebGraphQlRequest request,
            WebGraphQlInterceptor.Chain chain,
            ParsedDocumentCache documents,
            QueryAdmission admission,
            TransactionTemplate readOnly) {
        var operation = documents.operation(request.getDocument(), request.getOperationName());
        if (operation.isEmpty()) {
            var ticket = admission.ticket();
            request.configureExecutionInput((input, builder) -> {
                input.getGraphQLContext().put(QueryAdmission.Ticket.class, ticket);
                return input;
            });
            return chain.next(request).doFinally(signal -> ticket.leave());
        }
        if (operation.get() != OperationDefinition.Operation.QUERY) {
            return chain.next(request);
        }
        // The execution runs on this thread, inside the transaction; the Reactor context
        // (observation, security) goes with it, as it would downstream of this interceptor.
        return Mono.deferContextual(context -> {
            WebGraphQlResponse response = admission.run(
                    () -> readOnly.execute(status -> {
                        status.setRollbackOnly();
                        return chain.next(request).contextWrite(context).block();
                    }),
                    () -> busy(request));
            return Mono.justOrEmpty(response);
        });
    }

    /** A request that failed before or around its execution, rather than in a field. */
    private static WebGraphQlResponse failed(WebGraphQlRequest request, Throwable e, Tracer tracer) {
        var failure = TransportErrors.failure(e, TransportErrors.traceId(tracer));
        if (failure.busy()) {
            log.warn(
                    "GraphQL request failed while the database or Redis was unavailable (trace {})",
                    failure.traceId(),
                    e);
        } else {
            log.error("GraphQL request failed outside its fields (trace {})", failure.traceId(), e);
        }
        return refusal(
                request,
                failure.message(),
                failure.extensions(),
                failure.busy() ? graphql.ErrorType.ExecutionAborted : ErrorType.INTERNAL_ERROR);
    }

    private static final String BUSY_MESSAGE = "the server is busy: retry the query shortly";

    static WebGraphQlResponse busy(WebGraphQlRequest request) {
        return refusal(request, BUSY_MESSAGE, Map.of("code", BUSY), graphql.ErrorType.ExecutionAborted);
    }

    /**
     * Over the WebSocket only subscriptions run, and subscriptions only there. The socket was
     * authenticated once, when it opened, and its messages pass neither the tenant edge (which
     * binds the tenant and refuses revoked clients) nor a request's transaction: queries and
     * mutations belong on HTTP. A subscription sent over HTTP would start a stream that HTTP
     * answers cannot carry, and that nothing would ever end.
     */
    @Bean
    WebGraphQlInterceptor onlySubscriptionsOverWebSocket(ParsedDocumentCache documents) {
        return (request, chain) -> {
            if (request instanceof WebSocketGraphQlRequest) {
                if (!subscription(request, documents, true)) {
                    return Mono.just(refusal(
                            request,
                            "only subscriptions run over the WebSocket: send queries and mutations over HTTP",
                            ErrorCode.INVALID_INPUT.name()));
                }
            } else if (subscription(request, documents, false)) {
                return Mono.just(refusal(
                        request,
                        "subscriptions run over the WebSocket only (graphql-transport-ws on /graphql)",
                        ErrorCode.INVALID_INPUT.name()));
            }
            return chain.next(request);
        };
    }

    /**
     * Whether the operation to run is a subscription; {@code unreadable} for a document that does
     * not parse (graphql-java then says why).
     */
    private static boolean subscription(WebGraphQlRequest request, ParsedDocumentCache documents, boolean unreadable) {
        var known = documents.operation(request.getDocument(), request.getOperationName());
        if (known.isPresent()) {
            return known.get() == OperationDefinition.Operation.SUBSCRIPTION;
        }
        if (!unreadable
                && (request.getDocument() == null || !request.getDocument().contains("subscription"))) {
            // Without the keyword no operation is a subscription: HTTP requests are not parsed twice.
            return false;
        }
        try {
            var operations = Parser.parse(request.getDocument()).getDefinitionsOfType(OperationDefinition.class);
            var name = request.getOperationName() == null
                            || request.getOperationName().isEmpty()
                    ? null
                    : request.getOperationName();
            return operations.stream()
                    .filter(operation -> name == null ? operations.size() == 1 : name.equals(operation.getName()))
                    .anyMatch(operation -> operation.getOperation() == OperationDefinition.Operation.SUBSCRIPTION);
        } catch (RuntimeException e) {
            return unreadable;
        }
    }

    private static WebGraphQlResponse refusal(WebGraphQlRequest request, String message, String code) {
        return refusal(request, message, Map.of("code", code), graphql.ErrorType.DataFetchingException);
    }

    private static WebGraphQlResponse refusal(
            WebGraphQlRequest request,
            String message,
            Map<String, Object> extensions,
            ErrorClassification classification) {
        var error = GraphqlErrorBuilder.newError()
                .message(message)
                .extensions(extensions)
                .errorType(classification)
                .build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(
                request.toExecutionInput(),
                ExecutionResult.newExecutionResult().addError(error).build()));
    }

    @Bean
    RuntimeWiringConfigurer dateTimeScalar() {
        var scalar = GraphQLScalarType.newScalar()
                .name("DateTime")
                .description("An instant, ISO-8601 in UTC")
                .coercing(new InstantCoercing())
                .build();
        return wiring -> wiring.scalar(scalar);
    }

    /**
     * Expected failures thrown outside a payload become typed errors; anything else is logged
     * with its trace id and reaches the client as an opaque error carrying that id, never a
     * message, stack trace or SQL: {@code BUSY} for a failure that passes by itself (the database
     * away for a moment), else {@code INTERNAL_ERROR}.
     */
    @Bean
    DataFetcherExceptionResolver errors(ObjectProvider<Tracer> tracer) {
        return new DataFetcherExceptionResolverAdapter() {
            @Override
            protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
                var expected = ClientErrors.expected(ex, GraphqlErrorBuilder.newError(env));
                if (expected.isPresent()) {
                    return expected.get();
                }
                var failure = TransportErrors.failure(ex, TransportErrors.traceId(tracer.getIfAvailable()));
                var error = GraphqlErrorBuilder.newError(env)
                        .message(failure.message())
                        .extensions(failure.extensions());
                if (failure.busy()) {
                    log.warn(
                            "{} failed while the database or Redis was unavailable (trace {})",
                            env.getField().getName(),
                            failure.traceId(),
                            ex);
                    return error.build();
                }
                log.error("Unexpected failure in {} (trace {})", env.getField().getName(), failure.traceId(), ex);
                return error.errorType(ErrorType.INTERNAL_ERROR).build();
            }
        };
    }

    private static final class InstantCoercing implements Coercing<Instant, String> {

        @Override
        public String serialize(Object value, graphql.GraphQLContext context, java.util.Locale locale) {
            return value instanceof Instant instant ? IsoInstants.format(instant) : String.valueOf(value);
        }

        @Override
        public Instant parseValue(Object input, graphql.GraphQLContext context, java.util.Locale locale) {
            try {
                return IsoInstants.parse(String.valueOf(input));
            } catch (DateTimeParseException e) {
                throw new CoercingParseValueException(
                        "expected an ISO-8601 instant of the years 1 to 9999, such as 2026-01-31T12:00:00Z");
            }
        }

        @Override
        public Instant parseLiteral(
                graphql.language.Value<?> input,
                graphql.execution.CoercedVariables variables,
                graphql.GraphQLContext context,
                java.util.Locale locale) {
            if (input instanceof StringValue string) {
                try {
                    return IsoInstants.parse(string.getValue());
                } catch (DateTimeParseException e) {
                    // refused below
                }
            }
            throw new CoercingParseLiteralException(
                    "expected an ISO-8601 instant of the years 1 to 9999, such as 2026-01-31T12:00:00Z");
        }
    }
}
