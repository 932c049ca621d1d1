package io.ventiapi.platform.graphql;

import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Parses, validates and checks the {@link DocumentLimits} of each document (and that neither it nor
 * the request's variables hold a {@link NulCharacters NUL character} or a {@link PageArguments
 * page size below 1}), and keeps the documents
 * that pass by their text, so tooling that sends the same query again (nearly all of it) skips all
 * three. Only valid documents of at most {@value #MAX_QUERY_CHARS} characters are kept, at most
 * {@value #MAX_ENTRIES} of them; a full cache is emptied and refills, so a client sending endless
 * distinct queries costs memory no more than that. A document refused (invalid, or over a limit)
 * is never kept, so it is checked again each time it is sent.
 */
final class ParsedDocumentCache implements PreparsedDocumentProvider {

    static final int MAX_ENTRIES = 500;
    static final int MAX_QUERY_CHARS = 16 * 1024;

    private final ConcurrentHashMap<String, Kept> documents = new ConcurrentHashMap<>();
    private final DocumentLimits limits;

    ParsedDocumentCache(DocumentLimits limits) {
        this.limits = limits;
    }

    /** A document that passed, with the variables its pages take their size from. */
    private record Kept(PreparsedDocumentEntry entry, PageArguments pages) {}

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(
            ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        if (NulCharacters.in(input.getVariables())) {
            return CompletableFuture.completedFuture(new PreparsedDocumentEntry(NulCharacters.REFUSAL));
        }
        var query = input.getQuery();
        var kept = query.length() > MAX_QUERY_CHARS ? null : documents.get(query);
        if (kept == null) {
            var entry = parseAndValidate.apply(input);
            if (entry.hasErrors()) {
                return CompletableFuture.completedFuture(entry);
            }
            var pages = PageArguments.of(entry.getDocument());
            var refusal = refusal(entry.getDocument(), pages);
            if (refusal.isPresent()) {
                return CompletableFuture.completedFuture(new PreparsedDocumentEntry(refusal.get()));
            }
            kept = new Kept(entry, pages);
            if (query.length() <= MAX_QUERY_CHARS) {
                if (documents.size() >= MAX_ENTRIES) {
                    documents.clear();
                }
                documents.put(query, kept);
            }
        }
        if (kept.pages().refuses(input.getVariables())) {
            return CompletableFuture.completedFuture(new PreparsedDocumentEntry(PageArguments.REFUSAL));
        }
        return CompletableFuture.completedFuture(kept.entry());
    }

    /** Why a valid document is refused whatever its variables, if it is. */
    private Optional<GraphQLError> refusal(Document document, PageArguments pages) {
        if (NulCharacters.in(document)) {
            return Optional.of(NulCharacters.REFUSAL);
        }
        if (pages.literalBelowOne()) {
            return Optional.of(PageArguments.REFUSAL);
        }
        return limits.check(document);
    }

    /**
     * The kind of operation a request runs, when its document is kept here: the operation it names,
     * or the document's only one. Empty for a document not (yet) kept, or an operation it lacks.
     */
    Optional<OperationDefinition.Operation> operation(String query, String operationName) {
        var kept = query == null ? null : documents.get(query);
        if (kept == null) {
            return Optional.empty();
        }
        var operations = kept.entry().getDocument().getDefinitionsOfType(OperationDefinition.class);
        if (operationName == null || operationName.isEmpty()) {
            return operations.size() == 1 ? Optional.of(operations.getFirst().getOperation()) : Optional.empty();
        }
        return operations.stream()
                .filter(operation -> operationName.equals(operation.getName()))
                .findFirst()
                .map(OperationDefinition::getOperation);
    }

    int size() {
        return documents.size();
    }
}
