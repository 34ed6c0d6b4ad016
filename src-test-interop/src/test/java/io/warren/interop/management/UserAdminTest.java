package io.warren.interop.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users, vhosts and permissions managed over the API and with warrenctl, checked by logging in over AMQP. */
class UserAdminTest extends ManagementTestBase {

    private ConnectionFactory as(String user, String pass, String vhost) {
        ConnectionFactory f = factory();
        f.setUsername(user);
        f.setPassword(pass);
        f.setVirtualHost(vhost);
        return f;
    }

    @Test
    void apiManagesUsersVhostsAndPermissions() throws Exception {
        String user = uniqueName("user");
        String vhost = uniqueName("vhost");
        try {
            assertEquals(201, http("PUT", "/api/users/" + enc(user), "{\"password\":\"s3cret\",\"tags\":\"management\"}")
                    .statusCode());
            assertEquals(201, http("PUT", "/api/vhosts/" + enc(vhost), "{}").statusCode());
            assertEquals(201, http("PUT", "/api/permissions/" + enc(vhost) + "/" + enc(user),
                    "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}").statusCode());
            try (Connection c = as(user, "s3cret", vhost).newConnection()) {
                assertTrue(c.isOpen());
            }
            JsonNode me = json(http("GET", "/api/whoami", null, user, "s3cret"));
            assertEquals("management", me.get("tags").get(0).asText());
            assertEquals(403, http("GET", "/api/users", null, user, "s3cret").statusCode());
            assertEquals(".*", getJson("/api/permissions/" + enc(vhost) + "/" + enc(user)).get("read").asText());
            assertEquals(204, http("DELETE", "/api/permissions/" + enc(vhost) + "/" + enc(user), null).statusCode());
            assertThrows(Exception.class, () -> as(user, "s3cret", vhost).newConnection().close());
            HttpResponse<String> noUser = http("PUT", "/api/permissions/" + enc(vhost) + "/nobody-" + user, "{}");
            assertEquals(400, noUser.statusCode());
        } finally {
            http("DELETE", "/api/users/" + enc(user), null);
            http("DELETE", "/api/vhosts/" + enc(vhost), null);
        }
        assertEquals(404, http("GET", "/api/users/" + enc(user), null).statusCode());
        assertEquals(404, http("GET", "/api/vhosts/" + enc(vhost), null).statusCode());
    }

    @Test
    void warrenctlManagesUsersVhostsAndPermissions() throws Exception {
        String user = uniqueName("cliuser");
        String vhost = uniqueName("clivhost");
        try {
            WarrenctlTest.Run add = WarrenctlTest.warrenctl("add_user", user, "pw1");
            assertEquals(0, add.exit(), add.err());
            assertEquals("Adding user \"" + user + "\" ...", add.lines().get(0));
            assertEquals(70, WarrenctlTest.warrenctl("add_user", user, "pw1").exit());
            assertEquals(0, WarrenctlTest.warrenctl("set_user_tags", user, "monitoring").exit());
            assertEquals(0, WarrenctlTest.warrenctl("add_vhost", vhost).exit());
            WarrenctlTest.Run set = WarrenctlTest.warrenctl("set_permissions", "-p", vhost, user, ".*", ".*", ".*");
            assertEquals(0, set.exit(), set.err());
            WarrenctlTest.Run perms = WarrenctlTest.warrenctl("list_permissions", "-p", vhost);
            assertEquals("Listing permissions for vhost \"" + vhost + "\" ...", perms.lines().get(0));
            assertTrue(perms.lines().contains(user + "\t.*\t.*\t.*"), perms.out());
            WarrenctlTest.Run mine = WarrenctlTest.warrenctl("-q", "list_user_permissions", user);
            assertEquals(java.util.List.of("vhost\tconfigure\twrite\tread", vhost + "\t.*\t.*\t.*"), mine.lines());
            assertTrue(WarrenctlTest.warrenctl("-q", "list_users").lines().contains(user + "\t[monitoring]"));
            assertEquals(0, WarrenctlTest.warrenctl("change_password", user, "pw2").exit());
            try (Connection c = as(user, "pw2", vhost).newConnection()) {
                assertTrue(c.isOpen());
            }
            assertEquals(0, WarrenctlTest.warrenctl("clear_permissions", "-p", vhost, user).exit());
            assertEquals(67, WarrenctlTest.warrenctl("set_permissions", "nobody-" + user, ".*", ".*", ".*").exit());
            assertEquals(69, WarrenctlTest.warrenctl("set_permissions", "-p", "no-" + vhost, user, ".*", ".*", ".*")
                    .exit());
            assertEquals(0, WarrenctlTest.warrenctl("delete_vhost", vhost).exit());
            assertEquals(65, WarrenctlTest.warrenctl("delete_vhost", vhost).exit());
            assertEquals(0, WarrenctlTest.warrenctl("delete_user", user).exit());
            assertEquals(67, WarrenctlTest.warrenctl("delete_user", user).exit());
        } finally {
            http("DELETE", "/api/users/" + enc(user), null);
            http("DELETE", "/api/vhosts/" + enc(vhost), null);
        }
    }
}
