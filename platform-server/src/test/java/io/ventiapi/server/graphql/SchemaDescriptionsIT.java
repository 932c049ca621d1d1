package io.ventiapi.server.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.server.support.Api;
import io.ventiapi.server.support.TestTenants;
import io.ventiapi.server.support.VentiIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The schema documents itself: every type, field, argument, enum value and input field of the
 * platform's own types has a description (read by introspection, so nothing new can slip by).
 */
@VentiIntegrationTest
class SchemaDescriptionsIT {

    private static final String INTROSPECTION = """
            { __schema { types { name kind description
                fields { name description args { name description } }
                inputFields { name description }
                enumValues { name description } } } }""";

    @LocalServerPort
    int port;

    @Autowired
    TestTenants tenants;

    @Test
    void everyTypeFieldArgumentEnumValueAndInputFieldIsDescribed() {
        var api = new Api(port);
        var acme = tenants.create("schema");
        var token = api.token(acme.clientId(), acme.clientSecret());

        var undescribed = new ArrayList<String>();
        for (var type : api.graphql(token, INTROSPECTION).data("__schema.types")) {
            var name = type.get("name").asString();
            if (name.startsWith("__") || type.get("kind").asString().equals("SCALAR") && isBuiltIn(name)) {
                continue;
            }
            check(type, name, undescribed);
            for (var field : list(type.get("fields"))) {
                check(field, name + "." + field.get("name").asString(), undescribed);
                for (var arg : list(field.get("args"))) {
                    check(
                            arg,
                            name + "." + field.get("name").asString() + "("
                                    + arg.get("name").asString() + ")",
                            undescribed);
                }
            }
            for (var field : list(type.get("inputFields"))) {
                check(field, name + "." + field.get("name").asString(), undescribed);
            }
            for (var value : list(type.get("enumValues"))) {
                check(value, name + "." + value.get("name").asString(), undescribed);
            }
        }

        assertThat(undescribed).isEmpty();
    }

    private static boolean isBuiltIn(String scalar) {
        return List.of("String", "Int", "Float", "Boolean", "ID").contains(scalar);
    }

    private static void check(JsonNode node, String path, List<String> undescribed) {
        var description = node.get("description");
        if (description == null
                || description.isNull()
                || description.asString().isBlank()) {
            undescribed.add(path);
        }
    }

    private static List<JsonNode> list(JsonNode node) {
        var items = new ArrayList<JsonNode>();
        if (node != null && !node.isNull()) {
            node.forEach(items::add);
        }
        return items;
    }
}
