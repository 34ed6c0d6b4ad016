package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trie against an obviously-correct reference: a recursive word matcher over RabbitMQ's word split,
 * on thousands of random patterns and keys from a small alphabet (so that matches, empty words, "*" and "#"
 * runs are frequent), with random removals in between.
 */
class TopicRandomizedTest {

    private static final String[] PATTERN_WORDS = {"a", "b", "ab", "", "*", "#", "*", "#"};
    private static final String[] KEY_WORDS = {"a", "b", "ab", "", "c"};

    /** RabbitMQ's split_topic_key: "" has no words, otherwise dots separate (possibly empty) words. */
    static List<String> words(String key) {
        return key.isEmpty() ? List.of() : Arrays.asList(key.split("\\.", -1));
    }

    /** The reference: plain recursion, exponential in the worst case but fine for short inputs. */
    static boolean matches(List<String> pattern, int i, List<String> key, int j) {
        if (i == pattern.size()) {
            return j == key.size();
        }
        String p = pattern.get(i);
        if (p.equals("#")) {
            for (int k = j; k <= key.size(); k++) {
                if (matches(pattern, i + 1, key, k)) {
                    return true;
                }
            }
            return false;
        }
        return j < key.size() && (p.equals("*") || p.equals(key.get(j))) && matches(pattern, i + 1, key, j + 1);
    }

    private static String randomKey(Random r, String[] alphabet, int maxWords) {
        int n = r.nextInt(maxWords + 1);
        if (n == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(alphabet[r.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2024})
    void trieAgreesWithReference(long seed) {
        Random r = new Random(seed);
        BindingTable<String> table = BindingTables.create(ExchangeType.TOPIC);
        List<String[]> bound = new ArrayList<>(); // {pattern, destination}
        for (int i = 0; i < 300; i++) {
            String pattern = randomKey(r, PATTERN_WORDS, 6);
            String dest = "q" + r.nextInt(120); // destinations shared by several patterns
            if (table.add(pattern, null, dest)) {
                bound.add(new String[] {pattern, dest});
            }
        }
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 1000; k++) {
                String key = randomKey(r, KEY_WORDS, 7);
                assertEquals(expected(bound, key), Fixtures.route(table, key), () -> "key '" + key + "'");
            }
            // remove a random third of the bindings and check again
            for (int i = bound.size() - 1; i >= 0; i--) {
                if (r.nextInt(3) == 0) {
                    String[] b = bound.remove(i);
                    assertTrue(table.remove(b[0], null, b[1]));
                }
            }
            assertEquals(bound.size(), table.size());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8})
    void setAndListOutputsAgree(long seed) {
        Random r = new Random(seed);
        BindingTable<String> table = BindingTables.create(ExchangeType.TOPIC);
        for (int i = 0; i < 200; i++) {
            table.add(randomKey(r, PATTERN_WORDS, 5), null, "q" + r.nextInt(30));
        }
        for (int k = 0; k < 2000; k++) {
            String key = randomKey(r, KEY_WORDS, 6);
            Set<String> viaSet = new HashSet<>();
            table.route(key, null, viaSet);
            assertEquals(new TreeSet<>(viaSet), Fixtures.route(table, key));
        }
    }

    private static Set<String> expected(List<String[]> bound, String key) {
        Set<String> out = new TreeSet<>();
        List<String> kw = words(key);
        for (String[] b : bound) {
            if (matches(words(b[0]), 0, kw, 0)) {
                out.add(b[1]);
            }
        }
        return out;
    }
}
