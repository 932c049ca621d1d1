package io.ventiapi.platform.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.LinkedMultiValueMap;

class ResponseStatusTest {

    private final WebGraphQlRequest request = new WebGraphQlRequest(
            URI.create("http://127.0.0.1/graphql"),
            new HttpHeaders(),
            new LinkedMultiValueMap<>(),
            Map.of(),
            Map.of("query", "{ viewer { name } }"),
            "1",
            Locale.ROOT);

    @Test
    void aQueryWhoseTurnDidNotComeIsAnswered503WithABusyError() {
        var busy = GraphQlConfiguration.busy(request);

        assertThat(GraphQlConfiguration.responseStatus(busy)).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(busy.getErrors()).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", GraphQlConfiguration.BUSY);
            assertThat(error.getMessage()).contains("busy").contains("retry");
        });
        assertThat(busy.getExecutionResult().isDataPresent()).isFalse();
    }

    @Test
    void otherFailuresBeforeExecutionAre400AndAnswersWithData200() {
        var invalid = response(ExecutionResult.newExecutionResult()
                .addError(GraphqlErrorBuilder.newError().message("invalid").build())
                .build());
        var answered = response(ExecutionResult.newExecutionResult()
                .data(Map.of("viewer", Map.of()))
                .build());

        assertThat(GraphQlConfiguration.responseStatus(invalid)).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(GraphQlConfiguration.responseStatus(answered)).isEqualTo(HttpStatus.OK);
    }

    @Test
    void aRequestThatFailedUnexpectedlyBeforeExecutingIs500() {
        var failed = response(ExecutionResult.newExecutionResult()
                .addError(GraphqlErrorBuilder.newError()
                        .message("internal error; quote trace id 0af7651916cd43dd8448eb211c80319c")
                        .extensions(Map.of("code", "INTERNAL_ERROR"))
                        .build())
                .build());

        assertThat(GraphQlConfiguration.responseStatus(failed)).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }

    private WebGraphQlResponse response(ExecutionResult result) {
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
    }
}
