package org.jasyncio;

import java.util.List;
import java.util.Objects;

/**
 * The async call graph of a future: where it is suspended and who awaits it, transitively.
 * asyncio 3.14's {@code FutureCallGraph}, made by {@link Asyncio#captureCallGraph(Future)}
 * and printed by {@link Asyncio#formatCallGraph(Future)} / {@link Asyncio#printCallGraph(Future)}.
 *
 * <pre>{@code
 * CallGraph g = Asyncio.captureCallGraph(worker);
 * g.awaitedBy().get(0).future();   // the task that awaits worker, e.g. main
 * }</pre>
 *
 * <p>The graph is a snapshot: it holds the futures (not copies) and the frames as they were
 * when captured. A cycle in the await graph (two tasks awaiting each other) is cut where it
 * closes: the future met again appears as a node with no {@code awaitedBy}. Immutable, so it
 * may be read on any thread.
 *
 * @param future    the future or task this node describes
 * @param callStack for a task, the user's frames where it is suspended (for the task that
 *                  captures, where it runs now), innermost first, jasyncio's and the JDK's own
 *                  frames left out; empty for a plain future and for a task that has not
 *                  started or is done (asyncio's {@code call_stack} of
 *                  {@code FrameCallGraphEntry}, whose frames Java gives as stack trace elements)
 * @param awaitedBy one graph per task awaiting {@code future}, directly with {@code await} or
 *                  through {@code gather}, {@code wait}, {@code waitFor}, {@code shield},
 *                  {@code asCompleted} or as a child of the owner's {@link TaskGroup}; oldest
 *                  task first
 */
public record CallGraph(Future<?> future, List<StackTraceElement> callStack, List<CallGraph> awaitedBy) {

    /**
     * Checks and copies the lists.
     *
     * @throws NullPointerException if any argument or element is null
     */
    public CallGraph {
        Objects.requireNonNull(future, "future");
        callStack = List.copyOf(Objects.requireNonNull(callStack, "callStack"));
        awaitedBy = List.copyOf(Objects.requireNonNull(awaitedBy, "awaitedBy"));
    }

    /**
     * The graph as text: asyncio 3.14's {@code format_call_graph()} layout
     * (see {@link Asyncio#formatCallGraph(Future)}).
     *
     * @return the text, lines separated by {@code \n}, without a final newline
     */
    public String format() {
        return CallGraphs.format(this);
    }
}
