package io.warren.routing;

import java.util.Map;

/**
 * One binding as listed by {@link BindingTable#bindings()}.
 *
 * <p>The record's own {@code equals} compares arguments with {@code Map.equals} (byte arrays by reference);
 * the tables identify bindings by RabbitMQ's rules instead (see {@link BindingTable}), so pass a listed
 * binding's fields back to {@code remove} rather than comparing records.
 *
 * @param bindingKey  the key given at bind time ("" when the client sent none)
 * @param arguments   the binding arguments, never null (empty when none), unmodifiable
 * @param destination the bound queue or exchange
 */
public record Binding<D>(String bindingKey, Map<String, Object> arguments, D destination) {
}
