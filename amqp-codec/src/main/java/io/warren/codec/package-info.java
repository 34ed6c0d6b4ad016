/** AMQP 0-9-1 wire format: frames, methods, field tables, content headers. No broker state. */
package io.warren.codec;
