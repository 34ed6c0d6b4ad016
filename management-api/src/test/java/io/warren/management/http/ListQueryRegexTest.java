package io.warren.management.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.warren.management.model.UserInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code name} + {@code use_regex} filters: RabbitMQ's search semantics, in time linear in the names. */
class ListQueryRegexTest {

    private static Request query(String name) {
        return new Request("GET", Map.of(), Map.of("page", List.of("1"), "name", List.of(name),
                "use_regex", List.of("true")), new DefaultHttpHeaders(), new byte[0],
                new Viewer(new UserInfo("admin", null, List.of("administrator")), Map.of()));
    }

    private static List<Map<String, Object>> names(List<String> names) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (String n : names) {
            items.add(Map.of("name", n, "vhost", "/"));
        }
        return items;
    }

    /**
     * java.util.regex needs about 14 s for ONE 28-character name with {@code (.*a){20}$} (it
     * memoizes {@code (a+)+$} but not this); here there are 200 longer names.
     */
    @Test
    void catastrophicBacktrackingPatternsAnswerPromptly() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            names.add("a".repeat(200 + i) + "!");
        }
        names.add("x" + "a".repeat(25));
        for (String pattern : List.of("(.*a){20}$", "(a+)+$", "^(a|aa)+$")) {
            Map<?, ?> out = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> (Map<?, ?>) ListQuery.apply(names(names), query(pattern)), pattern);
            assertEquals(201, out.get("total_count"));
            assertEquals(pattern.startsWith("^") ? 0 : 1, out.get("filtered_count"), pattern);
        }
    }

    @Test
    void searchesCaseInsensitivelyAsRabbitMq() {
        Map<?, ?> out = (Map<?, ?>) ListQuery.apply(names(List.of("Orders.EU", "orders.us", "billing")),
                query("^orders\\.(eu|us)"));
        assertEquals(2, out.get("filtered_count"));
    }

    @Test
    void badPatternIs400() {
        ApiException e = assertThrows(ApiException.class, () -> ListQuery.apply(names(List.of("a")), query("(a")));
        assertEquals(400, e.status());
    }
}
