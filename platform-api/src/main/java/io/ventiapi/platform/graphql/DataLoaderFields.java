package io.ventiapi.platform.graphql;

import graphql.TrivialDataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLSchemaElement;
import graphql.schema.GraphQLTypeVisitorStub;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import java.lang.reflect.Method;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.graphql.execution.SelfDescribingDataFetcher;

/**
 * Leaves the fields of {@code @BatchMapping} methods out of Spring GraphQL's context propagation.
 * Their data fetcher only queues its source with a data loader; the batch load itself runs later
 * with the request's context captured on its own. Spring GraphQL wraps every data fetcher that is
 * not trivial to restore the request's thread locals (security context, observation, logging)
 * around it, which for a page of 50 findings with their project and scan meant 100 captures and
 * restores (opening an observation scope and updating the logging context each time) to queue 100
 * keys. Marking these fetchers trivial is what makes Spring skip them; graphql-java's observation
 * instrumentation skipped them already, as data loader fields.
 */
final class DataLoaderFields extends GraphQLTypeVisitorStub {

    @Override
    public TraversalControl visitGraphQLFieldDefinition(
            GraphQLFieldDefinition field, TraverserContext<GraphQLSchemaElement> context) {
        var codeRegistry = context.getVarFromParents(GraphQLCodeRegistry.Builder.class);
        if (codeRegistry != null && context.getParentNode() instanceof GraphQLFieldsContainer parent) {
            var coordinates = FieldCoordinates.coordinates(parent, field);
            var fetcher = codeRegistry.getDataFetcher(coordinates, field);
            if (fetcher instanceof SelfDescribingDataFetcher<?> described
                    && described.usesDataLoader()
                    && !(fetcher instanceof TrivialDataFetcher)) {
                codeRegistry.dataFetcher(coordinates, new Queueing(described));
            }
        }
        return TraversalControl.CONTINUE;
    }

    /** The same fetcher, marked trivial, and still describing itself for schema inspection. */
    private record Queueing(SelfDescribingDataFetcher<?> delegate)
            implements TrivialDataFetcher<Object>, SelfDescribingDataFetcher<Object> {

        @Override
        public Object get(DataFetchingEnvironment environment) throws Exception {
            return delegate.get(environment);
        }

        @Override
        public String getDescription() {
            return delegate.getDescription();
        }

        @Override
        public ResolvableType getReturnType() {
            return delegate.getReturnType();
        }

        @Override
        public Map<String, ResolvableType> getArguments() {
            return delegate.getArguments();
        }

        @Override
        public Method asMethod() {
            return delegate.asMethod();
        }

        @Override
        public boolean usesDataLoader() {
            return true;
        }
    }
}
