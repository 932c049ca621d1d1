package io.ventiapi.engine.check.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.Finding;
import io.ventiapi.engine.Severity;
import io.ventiapi.engine.check.OneOperationTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fields a response may carry beyond what its schema lists: a subtype's, under a discriminator, and hypermedia
 * links are documented; fields a schema merely does not list are reported as a lead, not as a leak. (A real one
 * is found on the test API.)
 */
class UndocumentedFieldCheckTest {

    private static final String PETS = """
            components:
              schemas:
                Pet:
                  type: object
                  required: [name, petType]
                  properties:
                    name: {type: string}
                    petType: {type: string}
                  discriminator:
                    propertyName: petType
                Cat:
                  allOf:
                    - {$ref: '#/components/schemas/Pet'}
                    - type: object
                      properties:
                        huntingSkill: {type: string}
                Dog:
                  allOf:
                    - {$ref: '#/components/schemas/Pet'}
                    - type: object
                      properties:
                        packSize: {type: integer}
            """;

    @TempDir
    Path workDir;

    @Test
    void aSubtypeNamedByTheDiscriminatorDocumentsItsFields() throws IOException {
        assertThat(findings("{$ref: '#/components/schemas/Pet'}", PETS, """
                        {"name": "Tom", "petType": "Cat", "huntingSkill": "lazy"}"""))
                .as("a Cat answered where the schema is its base Pet, with a discriminator")
                .isEmpty();
    }

    @Test
    void aMappedSubtypeOfOneOfIsComparedWithItsOwnFields() throws IOException {
        String schema = """
                oneOf:
                  - {$ref: '#/components/schemas/Cat'}
                  - {$ref: '#/components/schemas/Dog'}
                discriminator:
                  propertyName: petType
                  mapping:
                    cat: '#/components/schemas/Cat'
                    dog: '#/components/schemas/Dog'
                """;
        assertThat(findings(schema, PETS, """
                        {"name": "Tom", "petType": "cat", "huntingSkill": "lazy"}""")).isEmpty();
        assertThat(findings(schema, PETS, """
                        {"name": "Rex", "petType": "dog", "packSize": 3, "vetNotes": "bites"}"""))
                .singleElement()
                .satisfies(f -> assertThat(f.evidence().explanation()).contains("vetNotes"));
    }

    @Test
    void aSubtypeThatCannotBeResolvedIsNotGuessedAt() throws IOException {
        assertThat(findings("{$ref: '#/components/schemas/Pet'}", PETS, """
                        {"name": "Nemo", "petType": "Fish", "fins": 3}"""))
                .as("no schema Fish: its fields are unknown")
                .isEmpty();
    }

    @Test
    void hypermediaLinksAreNoUndocumentedFields() throws IOException {
        assertThat(findings("{$ref: '#/components/schemas/Order'}", """
                        components:
                          schemas:
                            Order:
                              type: object
                              properties:
                                id: {type: integer}
                                total: {type: number}
                        """, """
                        {"id": 1, "total": 9.5,
                         "_links": {"self": {"href": "/orders/1"}},
                         "_embedded": {"items": []},
                         "links": {"self": "/orders/1"}}""")).isEmpty();
    }

    @Test
    void aFieldASchemaOpenByDefaultDoesNotListIsALeadNotALeak() throws IOException {
        assertThat(findings("{$ref: '#/components/schemas/Order'}", """
                        components:
                          schemas:
                            Order:
                              type: object
                              properties:
                                id: {type: integer}
                        """, """
                        {"id": 1, "internal_cost_cents": 417}"""))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.LOW);
                    assertThat(f.evidence().explanation())
                            .contains("internal_cost_cents")
                            .contains("breaks no contract");
                });
    }

    @Test
    void aFieldAClosedSchemaForbidsIsAContractBroken() throws IOException {
        assertThat(findings("{$ref: '#/components/schemas/Order'}", """
                        components:
                          schemas:
                            Order:
                              type: object
                              additionalProperties: false
                              properties:
                                id: {type: integer}
                        """, """
                        {"id": 1, "internal_cost_cents": 417}"""))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                    assertThat(f.evidence().explanation()).contains("additionalProperties: false");
                });
    }

    /** What the check reports on {@code GET /thing} answering {@code body}, documented by {@code schema}. */
    private List<Finding> findings(String schema, String components, String body) throws IOException {
        String spec = """
                openapi: 3.0.3
                info: {title: things, version: '1'}
                paths:
                  /thing:
                    get:
                      operationId: getThing
                      responses:
                        '200':
                          description: the thing
                          content:
                            application/json:
                              schema:
                %s
                %s
                """.formatted(schema.indent(18).stripTrailing(), components);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (OneOperationTarget target = new OneOperationTarget(workDir, spec, exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        })) {
            new UndocumentedFieldCheck().checkOperation(target.context(), target.baseline());
            return target.findings();
        }
    }
}
