package io.warren.routing;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Topic exchange: binding keys are dot-separated words where {@code *} matches exactly one word (possibly
 * empty) and {@code #} matches zero or more words. Bindings live in a trie keyed by word; a message walks the
 * trie once per route() (see {@link TopicMatch}), never a regex.
 *
 * <p>Semantics follow RabbitMQ 3.10 ({@code rabbit_exchange_type_topic}, checked against a 3.10.8 node):
 * the empty routing key has zero words, so it matches "#", "#.#" and "" but not "*"; "a.*" matches "a.";
 * "a.*.b" matches "a..b"; words are compared byte for byte ("A" is not "a"); "a*" or "#a" are plain words.
 */
public final class TopicBindingTable<D> extends AbstractBindingTable<D> {

    private int nodeCounter;
    private final TopicNode<D> root = new TopicNode<>(null, null, nodeCounter++);

    @Override
    protected void index(Binding<D> binding) {
        TopicNode<D> node = root;
        for (String w : TopicPattern.trieWords(binding.bindingKey())) {
            TopicNode<D> next = node.child(w);
            node = next != null ? next : node.addChild(w, nodeCounter++);
        }
        node.destinations.add(binding.destination());
    }

    @Override
    protected void unindex(Binding<D> binding) {
        TopicNode<D> node = root;
        List<String> words = TopicPattern.trieWords(binding.bindingKey());
        for (String w : words) {
            node = node.child(w);
            if (node == null) {
                return; // cannot happen: the registry only unindexes what was indexed
            }
        }
        node.destinations.remove(binding.destination());
        // prune the branch that no longer leads to any binding
        while (node != root && node.isEmpty()) {
            node.parent.removeChild(node.word);
            node = node.parent;
        }
    }

    @Override
    public void route(String routingKey, Map<String, Object> headers, Collection<? super D> out) {
        TopicMatch.route(root, routingKey == null ? "" : routingKey, out);
    }
}
