package io.warren.bench.routing;

/**
 * A destination as the broker would pass it: an object with identity equality, like a queue instance.
 */
public final class BenchQueue {

    private final String name;

    public BenchQueue(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return name;
    }
}
