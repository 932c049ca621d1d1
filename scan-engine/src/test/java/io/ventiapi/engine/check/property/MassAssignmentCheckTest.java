package io.ventiapi.engine.check.property;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import io.ventiapi.engine.check.OneOperationTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A property the request schema declares through a composition ({@code allOf}, {@code oneOf}, a {@code $ref}'d
 * part) is one the client may set: storing it is no mass assignment. (Real ones are found on the test API and in
 * {@code SecuredApiScanTest}.)
 */
class MassAssignmentCheckTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path workDir;

    /** A product API whose PUT body schema is {@code schema}, with {@code components} (YAML, may be empty). */
    private static String spec(String schema, String components) {
        return """
                openapi: 3.0.3
                info: {title: shop, version: '1'}
                paths:
                  /products/{id}:
                    put:
                      operationId: replaceProduct
                      parameters:
                        - {name: id, in: path, required: true, schema: {type: integer, example: 1}}
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema:
                %s
                            example: {name: Lamp}
                      responses: {'200': {description: the product}}
                    get:
                      operationId: getProduct
                      parameters:
                        - {name: id, in: path, required: true, schema: {type: integer}}
                      responses: {'200': {description: the product}}
                %s
                """.formatted(schema.indent(16).stripTrailing(), components);
    }

    @Test
    void aPriceDeclaredInsideAllOfIsNoMassAssignment() throws Exception {
        assertThat(findingsFor(spec("""
                allOf:
                  - type: object
                    properties:
                      name: {type: string}
                      price: {type: number}
                """, "")))
                .as("PUT /products/{id} stores the price its allOf documents")
                .isEmpty();
    }

    @Test
    void aPriceDeclaredInAReferencedAlternativeIsNoMassAssignment() throws Exception {
        assertThat(findingsFor(spec("""
                oneOf:
                  - {$ref: '#/components/schemas/Named'}
                  - allOf:
                      - {$ref: '#/components/schemas/Named'}
                      - {$ref: '#/components/schemas/Priced'}
                """, """
                components:
                  schemas:
                    Named:
                      type: object
                      properties:
                        name: {type: string}
                    Priced:
                      type: object
                      properties:
                        price: {type: number}
                """)))
                .as("the price is declared by a $ref'd part of one alternative")
                .isEmpty();
    }

    @Test
    void aCompositionThatCannotBeResolvedIsNotGuessedAt() throws Exception {
        assertThat(findingsFor(spec("""
                allOf:
                  - type: object
                    properties:
                      name: {type: string}
                  - {$ref: '#/components/schemas/Missing'}
                """, "")))
                .as("the unresolved part may declare the price")
                .isEmpty();
    }

    @Test
    void aPriceNoPartDeclaresIsStillFound() throws Exception {
        assertThat(findingsFor(spec("""
                allOf:
                  - type: object
                    properties:
                      name: {type: string}
                """, "")))
                .as("the check still reports a price the schema does not declare and the API stores")
                .singleElement()
                .satisfies(f -> assertThat(f.parameter()).isEqualTo("body:price"));
    }

    private java.util.List<io.ventiapi.engine.Finding> findingsFor(String spec) throws IOException {
        Map<String, Object> product = new LinkedHashMap<>(Map.of("id", 1, "name", "Lamp", "price", 10));
        try (OneOperationTarget target =
                new OneOperationTarget(workDir, spec, "replaceProduct", exchange -> answer(exchange, product))) {
            assertThat(target.baseline().request().body()).isEqualTo(Map.of("name", "Lamp"));
            new MassAssignmentCheck().checkOperation(target.context(), target.baseline());
            return target.findings();
        }
    }

    /** Stores every property a PUT sends, as an API whose documented fields are all writable does. */
    private static void answer(HttpExchange exchange, Map<String, Object> product) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("PUT")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                synchronized (product) {
                    body.properties()
                            .forEach(e -> product.put(e.getKey(), JSON.treeToValue(e.getValue(), Object.class)));
                }
            }
            byte[] bytes;
            synchronized (product) {
                bytes = JSON.writeValueAsBytes(product);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
