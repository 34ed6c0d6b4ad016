package io.warren.management.model;

/**
 * The broker node as the API shows it.
 *
 * @param name          node name, e.g. {@code warren@host} (RabbitMQ's {@code node})
 * @param product       product name ("Warren")
 * @param version       product version
 * @param clusterName   RabbitMQ's {@code cluster_name}
 * @param startedAt     epoch millis the broker started at (uptime is derived)
 * @param amqpBind      address the AMQP listener is bound to
 * @param amqpPort      AMQP port actually bound
 * @param osPid         the broker's process id
 * @param dataDir       where the broker keeps durable data (for disk_free)
 * @param memUsed       memory the memory alarm measures (heap in use plus direct buffers), bytes
 * @param memLimit      the memory alarm's high watermark in bytes (RabbitMQ's {@code mem_limit})
 * @param diskFreeLimit below this much free space the disk alarm is raised (RabbitMQ's {@code disk_free_limit})
 */
public record NodeInfo(String name, String product, String version, String clusterName, long startedAt,
                       String amqpBind, int amqpPort, long osPid, String dataDir,
                       long memUsed, long memLimit, long diskFreeLimit) {
}
