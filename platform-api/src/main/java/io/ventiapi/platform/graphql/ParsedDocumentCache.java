package io.ventiapi.platform.graphql;

import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Parses, validates and checks the {@link DocumentLimits} of each document (and that neither it nor
 * the request's variables hold a {@link NulCharacters NUL character} or a {@link PageArguments
 * page size below 1}), and keeps the documents
 * that pass by their text, so tooling that sends the same query again (nearly all of it) skips all
 * three. Only valid documents of at most {@value #MAX_QUERY_CHARS} characters are kept, at most
 * {@value #MAX_ENTRIES} of them; a full cache drops the one used least recently to keep another, so
 * a client sending endless distinct queries costs memory no more than that, and a burst of new
 * documents does not make every tenant's queries parse again at once. A document refused (invalid,
 * or over a limit) is never kept, so it is checked again each time it is sent.
 */
final class ParsedDocumentCache implements PreparsedDocumentProvider {

    static final int MAX_ENTRIES = 500;
    static final int MAX_QUERY_CHARS = 16 * 1024;

    private final ConcurrentHashMap<String, Kept> documents = new ConcurrentHashMap<>();
    private final AtomicLong uses = new AtomicLong();
    private final DocumentLimits limits;

    ParsedDocumentCache(DocumentLimits limits) {
        this.limits = limits;
    }

    /** A document that passed, with the variables its pages take their size from, and when it was last used. */
    private static final class Kept {

        final PreparsedDocumentEntry entry;
        final PageArguments pages;
        volatile long lastUse;

        Kept(PreparsedDocumentEntry entry, PageArguments pages) {
            this.entry = entry;
            this.pages = pages;
        }
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(
            ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        if (NulCharacters.in(input.getVariables())) {
            return CompletableFuture.completedFuture(new PreparsedDocumentEntry(NulCharacters.REFUSAL));
        }
        var query = input.getQuery();
        var kept = query.length() > MAX_QUERY_CHARS ? null : documents.get(query);
        if (kept != null) {
            kept.lastUse = uses.incrementAndGet();
        } else {
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
                keep(query, kept);
            }
        }
        if (kept.pages.refuses(input.getVariables())) {
            return CompletableFuture.completedFuture(new PreparsedDocumentEntry(PageArguments.REFUSAL));
        }
        return CompletableFuture.completedFuture(kept.entry);
    }

    /**
     * Keeps a document, first dropping the least recently used ones while the cache is full. Finding
     * them walks the whole cache, which only a document not kept yet pays for, after its parse and
     * validation, which cost more.
     */
    private void keep(String query, Kept kept) {
        kept.lastUse = uses.incrementAndGet();
        while (documents.size() >= MAX_ENTRIES) {
            Map.Entry<String, Kept> oldest = null;
            for (var candidate : documents.entrySet()) {
                if (oldest == null || candidate.getValue().lastUse < oldest.getValue().lastUse) {
                    oldest = candidate;
                }
            }
            if (oldest == null) {
                break;
            }
            documents.remove(oldest.getKey(), oldest.getValue());
        }
        documents.put(query, kept);
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
        return kept == null ? Optional.empty() : operation(kept.entry.getDocument(), operationName);
    }

    /** The kind of operation a request runs: the operation it names, or the document's only one. */
    static Optional<OperationDefinition.Operation> operation(Document document, String operationName) {
        var operations = document.getDefinitionsOfType(OperationDefinition.class);
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
