package io.ventiapi.engine.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which operations feed which path parameters of which other operations. */
public record DependencyGraph(List<DependencyEdge> edges) {

    public DependencyGraph {
        edges = List.copyOf(edges);
    }

    /** Edges into one consumer, strongest reason first. */
    public List<DependencyEdge> producersOf(String consumerId) {
        return edges.stream()
                .filter(e -> e.consumerId().equals(consumerId))
                .sorted(Comparator.comparing(DependencyEdge::reason))
                .toList();
    }

    /**
     * An execution order in which every producer comes before its consumers (cycles are broken in document
     * order), and destructive operations come after all others, DELETE last, so a scan does not remove
     * what it is about to test.
     */
    public List<PlannedOperation> executionOrder(List<PlannedOperation> operations) {
        Map<String, PlannedOperation> byId = new HashMap<>();
        operations.forEach(op -> byId.put(op.id(), op));
        Map<String, Set<String>> consumers = new HashMap<>();
        Map<String, Integer> inDegree = new HashMap<>();
        operations.forEach(op -> inDegree.put(op.id(), 0));
        for (DependencyEdge edge : edges) {
            if (edge.producerId().equals(edge.consumerId()) || !byId.containsKey(edge.producerId())) {
                continue;
            }
            if (consumers
                    .computeIfAbsent(edge.producerId(), k -> new LinkedHashSet<>())
                    .add(edge.consumerId())) {
                inDegree.merge(edge.consumerId(), 1, Integer::sum);
            }
        }
        List<PlannedOperation> ordered = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        Deque<String> ready = new ArrayDeque<>();
        while (done.size() < operations.size()) {
            operations.stream()
                    .filter(op -> !done.contains(op.id()) && inDegree.get(op.id()) == 0 && !ready.contains(op.id()))
                    .forEach(op -> ready.add(op.id()));
            if (ready.isEmpty()) {
                // A cycle: release the first remaining operation in document order.
                operations.stream()
                        .filter(op -> !done.contains(op.id()))
                        .findFirst()
                        .ifPresent(op -> ready.add(op.id()));
            }
            while (!ready.isEmpty()) {
                String id = ready.poll();
                if (!done.add(id)) {
                    continue;
                }
                ordered.add(byId.get(id));
                for (String consumer : consumers.getOrDefault(id, Set.of())) {
                    inDegree.merge(consumer, -1, Integer::sum);
                }
            }
        }
        ordered.sort(Comparator.comparingInt(DependencyGraph::methodRank));
        return ordered;
    }

    private static int methodRank(PlannedOperation op) {
        return switch (op.method()) {
            case "DELETE" -> 2;
            case "PUT", "PATCH" -> 1;
            default -> 0;
        };
    }
}
