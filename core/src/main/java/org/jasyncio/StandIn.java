package org.jasyncio;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.jasyncio.internal.WaitLabel;

/**
 * A plain future that a jasyncio function awaits on its caller's behalf (the waiter of
 * {@code wait}, of a cancelling {@code waitFor}, of a {@code TaskGroup}'s exit, the result of
 * {@code shield}, a step of {@code asCompleted}), labelled for the task dumps and knowing which
 * futures it stands for. Behaves exactly as {@code new Future<>(loop)}.
 */
final class StandIn<T> extends Future<T> implements Composite, WaitLabel {

    private final Supplier<String> labeller;
    private final Supplier<? extends Collection<? extends Future<?>>> awaited;

    /** A stand-in whose label and awaited futures are computed when a dump asks. */
    StandIn(EventLoop loop, Supplier<String> labeller, Supplier<? extends Collection<? extends Future<?>>> awaited) {
        super(loop);
        this.labeller = labeller;
        this.awaited = awaited;
    }

    @Override
    public Collection<? extends Future<?>> awaited() {
        return done() ? List.of() : awaited.get();
    }

    @Override
    public String describeWait() {
        return labeller.get();
    }
}
