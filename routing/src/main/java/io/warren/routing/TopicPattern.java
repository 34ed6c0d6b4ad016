package io.warren.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits topic keys into words exactly as RabbitMQ 3.10's {@code rabbit_exchange_type_topic:split_topic_key/1}:
 * the empty key has no words at all; any other key has one more word than it has dots, and words may be
 * empty ("a." is ["a", ""], "." is ["", ""]). This is why {@code *} does not match the empty routing key
 * while {@code #} and the empty binding key do.
 */
final class TopicPattern {

    private TopicPattern() {
    }

    static List<String> split(String key) {
        List<String> words = new ArrayList<>();
        if (key.isEmpty()) {
            return words;
        }
        int start = 0;
        while (true) {
            int dot = key.indexOf('.', start);
            if (dot < 0) {
                words.add(key.substring(start));
                return words;
            }
            words.add(key.substring(start, dot));
            start = dot + 1;
        }
    }

    /**
     * The binding key's words with runs of {@code #} collapsed into one. "#.#" matches exactly what "#"
     * matches, and collapsing keeps the matcher from exploring the same split of words many times over.
     */
    static List<String> trieWords(String bindingKey) {
        List<String> words = split(bindingKey);
        List<String> out = new ArrayList<>(words.size());
        for (String w : words) {
            if ("#".equals(w) && !out.isEmpty() && "#".equals(out.get(out.size() - 1))) {
                continue;
            }
            out.add(w);
        }
        return out;
    }
}
