package io.warren.management.http;

import io.warren.management.model.PermissionInfo;
import io.warren.management.model.UserInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Permission patterns over HTTP work as over AMQP: searched like RabbitMQ's re:run, anchored only by the user. */
class ViewerTest {
    private static Viewer viewer(String configure, String write, String read) {
        return new Viewer(new UserInfo("carol", "", List.of("management")),
                Map.of("/", new PermissionInfo("carol", "/", configure, write, read)));
    }

    @Test
    void aPatternMatchesAnywhereInTheName() {
        Viewer v = viewer("r-", "r-", "r-");
        assertTrue(v.may("/", Viewer.Kind.CONFIGURE, "xr-q"));
        assertTrue(v.may("/", Viewer.Kind.WRITE, "r-x"));
        assertTrue(v.may("/", Viewer.Kind.READ, "q.r-"));
        assertFalse(v.may("/", Viewer.Kind.READ, "other"));
        assertFalse(v.may("other-vhost", Viewer.Kind.READ, "xr-q"));
    }

    @Test
    void anchoredAndEmptyPatterns() {
        Viewer v = viewer("^r-$", "", "^amq\\.default$");
        assertTrue(v.may("/", Viewer.Kind.CONFIGURE, "r-"));
        assertFalse(v.may("/", Viewer.Kind.CONFIGURE, "xr-q"));
        assertFalse(v.may("/", Viewer.Kind.WRITE, "anything"), "an empty pattern grants nothing");
        assertTrue(v.may("/", Viewer.Kind.READ, "amq.default"));
    }
}
