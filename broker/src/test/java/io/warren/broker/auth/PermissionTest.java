package io.warren.broker.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RabbitMQ checks a permission with re:run: the pattern is searched in the name; users anchor it with ^...$. */
class PermissionTest {
    @Test
    void aPatternIsSearchedInTheName() {
        Permission p = new Permission("r-", "r-", "r-");
        assertTrue(p.allows(Permission.Kind.CONFIGURE, "xr-q"));
        assertTrue(p.allows(Permission.Kind.WRITE, "r-"));
        assertTrue(p.allows(Permission.Kind.READ, "abc.r-.def"));
        assertFalse(p.allows(Permission.Kind.READ, "other"));
    }

    @Test
    void anchorsAndEmptyPatterns() {
        Permission p = new Permission("^r-$", "", "^(a|b)$");
        assertTrue(p.allows(Permission.Kind.CONFIGURE, "r-"));
        assertFalse(p.allows(Permission.Kind.CONFIGURE, "xr-q"));
        assertFalse(p.allows(Permission.Kind.WRITE, ""), "an empty pattern grants nothing, not even the empty name");
        assertFalse(p.allows(Permission.Kind.WRITE, "x"));
        assertTrue(p.allows(Permission.Kind.READ, "b"));
        assertFalse(p.allows(Permission.Kind.READ, "ab"));
    }
}
