package io.warren.routing;

import java.util.Map;

/**
 * One binding as listed by {@link BindingTable#bindings()}.
 *
 * @param bindingKey  the key given at bind time ("" when the client sent none)
 * @param arguments   the binding arguments, never null (empty when none), unmodifiable
 * @param destination the bound queue or exchange
 */
public record Binding<D>(String bindingKey, Map<String, Object> arguments, D destination) {
}
