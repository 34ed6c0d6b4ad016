package io.warren.broker.channel;

import io.warren.broker.model.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Direct reply-to addresses name the node that gave them out, so another node knows where a reply goes. */
class ReplyAddressesTest {
    @Test
    void anAddressNamesItsNodeAndIsUnique() {
        ReplyAddresses a = new ReplyAddresses("warren@host.example.com");
        String one = a.newAddress();
        assertTrue(one.startsWith("amq.rabbitmq.reply-to."), one);
        assertEquals("warren@host.example.com", ReplyAddresses.node(one));
        assertNotEquals(one, a.newAddress());
    }

    @Test
    void malformedAddressesNameNoNode() {
        assertNull(ReplyAddresses.node("amq.rabbitmq.reply-to.no-dot-after-it"));
        assertNull(ReplyAddresses.node("amq.rabbitmq.reply-to..x"));
        assertNull(ReplyAddresses.node("amq.rabbitmq.reply-to.not*base64.x"));
        assertNull(ReplyAddresses.node("other.queue"));
    }

    @Test
    void aReplyForAnotherNodesAddressGoesToItsForwarderAndAnUnknownOneNowhere() {
        ReplyAddresses here = new ReplyAddresses("n1");
        String theirs = new ReplyAddresses("n2").newAddress();
        Message reply = new Message("", theirs, new byte[] {0, 0}, new byte[0]);
        assertFalse(here.route(reply), "standalone: dropped");
        List<String> forwardedTo = new ArrayList<>();
        here.remote(new ReplyAddresses.RemoteReplies() {
            @Override
            public boolean forward(String node, Message m) {
                return forwardedTo.add(node);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Boolean> exists(String node, String address) {
                return java.util.concurrent.CompletableFuture.completedFuture(node.equals("n2"));
            }
        });
        assertTrue(here.route(reply));
        assertEquals(List.of("n2"), forwardedTo);
        assertFalse(here.route(new Message("", "amq.rabbitmq.reply-to.forged", new byte[] {0, 0}, new byte[0])));
        assertEquals(List.of("n2"), forwardedTo);
        assertTrue(here.exists(theirs).join(), "asked n2");
        String mine = here.newAddress();
        assertFalse(here.exists(mine).join(), "an address of this node no consumer has: not asked elsewhere");
        assertFalse(here.route(new Message("", mine, new byte[] {0, 0}, new byte[0])), "nor forwarded to itself");
        assertEquals(List.of("n2"), forwardedTo);
    }
}
