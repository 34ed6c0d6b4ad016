package io.warren.mqtt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The connected MQTT clients by vhost and client id: a second CONNECT with the same id takes the first's place. */
final class ClientRegistry {
    private final Map<String, MqttConnection> clients = new ConcurrentHashMap<>();

    private static String key(String vhost, String clientId) {
        return vhost + '\u0000' + clientId;
    }

    /** Registers a connection; returns the one it replaces, if any. */
    MqttConnection register(String vhost, String clientId, MqttConnection c) {
        return clients.put(key(vhost, clientId), c);
    }

    /** Unregisters a connection unless another took its id meanwhile; true if it was still the registered one. */
    boolean unregister(String vhost, String clientId, MqttConnection c) {
        return clients.remove(key(vhost, clientId), c);
    }
}
