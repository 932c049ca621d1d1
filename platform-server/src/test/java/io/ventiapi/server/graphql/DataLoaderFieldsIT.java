package io.ventiapi.server.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.GraphQLContext;
import graphql.TrivialDataFetcher;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironmentImpl;
import graphql.schema.FieldCoordinates;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.graphql.execution.GraphQlSource;
import org.springframework.graphql.execution.SelfDescribingDataFetcher;

/**
 * Batch-mapped fields reach graphql-java undecorated: Spring GraphQL's context propagation, which
 * cost a capture and restore per field, leaves them alone (ADR 8). That they still load, in one
 * statement per batch, is {@code FindingsQueryCountIT}'s.
 */
@VentiIntegrationTest
class DataLoaderFieldsIT {

    @Autowired
    GraphQlSource graphQlSource;

    @Autowired
    BatchLoaderRegistry batchLoaders;

    @Test
    void batchMappedFieldsAreTrivialDataLoaderFetchers() {
        var codeRegistry = graphQlSource.schema().getCodeRegistry();
        for (var field : new String[] {"project", "firstSeenScan", "lastSeenScan"}) {
            var coordinates = FieldCoordinates.coordinates("Finding", field);
            var fetcher = codeRegistry.getDataFetcher(
                    coordinates, graphQlSource.schema().getFieldDefinition(coordinates));

            assertThat(fetcher).as(field).isInstanceOf(TrivialDataFetcher.class);
            assertThat(fetcher)
                    .as(field)
                    .isInstanceOfSatisfying(
                            SelfDescribingDataFetcher.class,
                            described -> assertThat(described.usesDataLoader()).isTrue());
        }
        var findings = FieldCoordinates.coordinates("Query", "findings");
        assertThat(codeRegistry.getDataFetcher(findings, graphQlSource.schema().getFieldDefinition(findings)))
                .as("other fields keep their context")
                .isNotInstanceOf(TrivialDataFetcher.class);
    }

    /**
     * A key the loader already holds is answered with its value, which graphql-java completes in
     * place; any other key is still queued with the loader (a future that the batch completes).
     */
    @Test
    void answersWhatTheLoaderHoldsAndQueuesTheRest() throws Exception {
        var coordinates = FieldCoordinates.coordinates("Finding", "project");
        DataFetcher<?> fetcher = graphQlSource
                .schema()
                .getCodeRegistry()
                .getDataFetcher(coordinates, graphQlSource.schema().getFieldDefinition(coordinates));
        var springLoaders = DataLoaderRegistry.newRegistry().build();
        batchLoaders.registerDataLoaders(
                springLoaders, GraphQLContext.newContext().build());
        assertThat(springLoaders.getKeys())
                .as("the fetcher looks the loader up where Spring GraphQL registers it")
                .contains(coordinates.toString());
        var loader = DataLoaderFactory.newDataLoader((List<Object> keys) -> CompletableFuture.completedFuture(
                keys.stream().map(key -> (Object) ("loaded " + key)).toList()));
        var registry = DataLoaderRegistry.newRegistry()
                .register(coordinates.toString(), loader)
                .build();
        loader.prime("held", "handed over");
        loader.prime("failed", new IllegalStateException("load failed"));

        assertThat(fetcher.get(environment("held", registry))).isEqualTo("handed over");

        var queued = fetcher.get(environment("other", registry));
        assertThat(queued)
                .isInstanceOfSatisfying(
                        CompletableFuture.class, future -> assertThat(future).isNotDone());
        loader.dispatch();
        assertThat(queued)
                .isInstanceOfSatisfying(
                        CompletableFuture.class, future -> assertThat(future).isCompletedWithValue("loaded other"));

        assertThat(fetcher.get(environment("failed", registry)))
                .as("a failed load keeps its error")
                .isInstanceOfSatisfying(
                        CompletableFuture.class, future -> assertThat(future).isCompletedExceptionally());
    }

    private static graphql.schema.DataFetchingEnvironment environment(Object source, DataLoaderRegistry registry) {
        return DataFetchingEnvironmentImpl.newDataFetchingEnvironment()
                .source(source)
                .dataLoaderRegistry(registry)
                .graphQLContext(GraphQLContext.newContext().build())
                .build();
    }
}
