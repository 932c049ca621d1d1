package io.ventiapi.server.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.TrivialDataFetcher;
import graphql.schema.FieldCoordinates;
import io.ventiapi.server.support.VentiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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
}
