package io.warren.broker.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UserStoreTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rightPasswordLogsInWrongOneDoesNot() {
        UserStore users = new UserStore("guest", "guest");
        assertEquals(UserStore.Login.OK, users.login("guest", utf8("guest")));
        assertEquals(UserStore.Login.INVALID_CREDENTIALS, users.login("guest", utf8("nope")));
        assertEquals(UserStore.Login.INVALID_CREDENTIALS, users.login("nobody", utf8("guest")));
    }

    @Test
    void aBlankPasswordNeverLogsInEvenWhenTheHashMatches() {
        UserStore users = new UserStore("guest", "guest");
        users.addOrUpdate("blank", "", Set.of());
        assertEquals(UserStore.Login.BLANK_PASSWORD, users.login("blank", new byte[0]));
        assertEquals(UserStore.Login.BLANK_PASSWORD, users.login("nobody", new byte[0]));
    }

    @Test
    void aUserWithoutAPasswordCannotLogInByPassword() {
        UserStore users = new UserStore("guest", "guest");
        users.addOrUpdate("nopass", null, Set.of());
        assertEquals(UserStore.Login.INVALID_CREDENTIALS, users.login("nopass", utf8("anything")));
        assertEquals(UserStore.Login.BLANK_PASSWORD, users.login("nopass", new byte[0]));
    }
}
