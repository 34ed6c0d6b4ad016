package io.warren.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.function.Consumer;

/**
 * JUnit 5: a running {@link EmbeddedWarren} for a test class or a test method, closed after it.
 *
 * <p>On a class ({@code @ExtendWith(EmbeddedWarrenExtension.class)}, or a static
 * {@code @RegisterExtension} field) one broker serves every test of the class; on a test method, or
 * as an instance {@code @RegisterExtension} field, each test gets its own. Constructors, lifecycle
 * methods and tests receive it as an {@link EmbeddedWarren} parameter, or its AMQP URI as a
 * {@link URI} parameter. To configure the broker, register the extension with a customizer:
 *
 * <pre>{@code
 * @RegisterExtension
 * static EmbeddedWarrenExtension warren = new EmbeddedWarrenExtension(b -> b.user("app", "secret"));
 * }</pre>
 */
public final class EmbeddedWarrenExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedWarrenExtension.class);
    private static final String KEY = "broker";

    private final Consumer<EmbeddedWarren.Builder> customizer;

    /** A broker with the builder's defaults (free port, temporary data, guest/guest). */
    public EmbeddedWarrenExtension() {
        this(b -> { });
    }

    /** A broker built by {@code customizer} from {@link EmbeddedWarren#builder()}. */
    public EmbeddedWarrenExtension(Consumer<EmbeddedWarren.Builder> customizer) {
        this.customizer = customizer;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        brokerFor(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        brokerFor(context); // a class-wide broker is found in the parent's store; otherwise one per test
    }

    /**
     * The broker of this context (the one of an enclosing context if there is one); started now if
     * there is none, and then closed by JUnit when this context ends.
     */
    private EmbeddedWarren brokerFor(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        return store.getOrComputeIfAbsent(KEY, k -> new Running(start()), Running.class).warren;
    }

    private EmbeddedWarren start() {
        EmbeddedWarren.Builder builder = EmbeddedWarren.builder();
        customizer.accept(builder);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Warren broker", e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedWarren.class || type == URI.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
            throws ParameterResolutionException {
        EmbeddedWarren warren = brokerFor(context);
        return parameter.getParameter().getType() == URI.class ? URI.create(warren.amqpUri()) : warren;
    }

    /** Closed by JUnit when the store's context (the class or the test) ends. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        final EmbeddedWarren warren;

        Running(EmbeddedWarren warren) {
            this.warren = warren;
        }

        @Override
        public void close() {
            warren.close();
        }
    }
}
