package io.warren.management.model;

/**
 * One listening port of a node as {@code /api/overview}'s {@code listeners} shows it.
 *
 * @param node     the node that listens
 * @param protocol RabbitMQ's protocol name: {@code amqp}, {@code amqp/ssl}, {@code http}, {@code clustering}
 * @param ip       the address it is bound to
 * @param port     the port
 */
public record ListenerInfo(String node, String protocol, String ip, int port) {
}
