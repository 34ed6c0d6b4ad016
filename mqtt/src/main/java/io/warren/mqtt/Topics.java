package io.warren.mqtt;

/**
 * MQTT topics ↔ amq.topic routing keys as RabbitMQ's plugin maps them: {@code /} and {@code .} swap places (so a
 * dot in an MQTT topic survives the round trip), {@code +} ↔ {@code *}, {@code #} stays.
 */
final class Topics {
    private Topics() {
    }

    /** An MQTT topic name or filter as an AMQP routing or binding key. */
    static String toAmqp(String mqtt) {
        StringBuilder b = new StringBuilder(mqtt.length());
        for (int i = 0; i < mqtt.length(); i++) {
            char c = mqtt.charAt(i);
            b.append(switch (c) {
                case '/' -> '.';
                case '.' -> '/';
                case '+' -> '*';
                default -> c;
            });
        }
        return b.toString();
    }

    /** An AMQP routing key as the MQTT topic a subscriber sees. */
    static String toMqtt(String amqp) {
        StringBuilder b = new StringBuilder(amqp.length());
        for (int i = 0; i < amqp.length(); i++) {
            char c = amqp.charAt(i);
            b.append(switch (c) {
                case '.' -> '/';
                case '/' -> '.';
                case '*' -> '+';
                default -> c;
            });
        }
        return b.toString();
    }

    /**
     * Whether an MQTT topic name matches a filter with {@code +} and {@code #}. A topic that starts with {@code $}
     * ({@code $SYS/...}) is not matched by a filter that starts with a wildcard (MQTT 3.1.1 4.7.2).
     */
    static boolean matches(String filter, String topic) {
        if (startsWithDollar(topic) && startsWithWildcard(filter)) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    static boolean startsWithDollar(String topic) {
        return !topic.isEmpty() && topic.charAt(0) == '$';
    }

    private static boolean startsWithWildcard(String filter) {
        return !filter.isEmpty() && (filter.charAt(0) == '#' || filter.charAt(0) == '+');
    }
}
