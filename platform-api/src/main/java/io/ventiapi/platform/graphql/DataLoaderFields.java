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
import org.dataloader.DataLoader;
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
 *
 * <p>A key whose value the loader already holds (handed over up front, as a findings page does
 * with the projects and scans it joined, or loaded earlier in the request) is answered with the
 * value itself, not with the loader's completed future: graphql-java completes a plain value in
 * place, where each future took it through its asynchronous path and the dispatch strategy's
 * bookkeeping (100 futures for a page of 50 findings with their project and scan).
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
                // Spring GraphQL registers a batch mapping's data loader under its coordinates.
                codeRegistry.dataFetcher(coordinates, new Queueing(described, coordinates.toString()));
            }
        }
        return TraversalControl.CONTINUE;
    }

    /**
     * The same fetcher, marked trivial, answering from {@code loader} what it already holds, and
     * still describing itself for schema inspection.
     */
    private record Queueing(SelfDescribingDataFetcher<?> delegate, String loader)
            implements TrivialDataFetcher<Object>, SelfDescribingDataFetcher<Object> {

        @Override
        public Object get(DataFetchingEnvironment environment) throws Exception {
            Object source = environment.getSource();
            DataLoader<Object, Object> dataLoader =
                    environment.getDataLoaderRegistry().getDataLoader(loader);
            if (source != null && dataLoader != null) {
                var held = dataLoader.getIfCompleted(source);
                if (held.isPresent() && !held.get().isCompletedExceptionally()) {
                    return held.get().join();
                }
            }
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
