package org.jasyncio.examples.seed;

import java.io.PrintStream;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;

/**
 * Seed section 4, "Futures (or: the pizza box)": ordering returns the box (a pending
 * {@link Future}) at once; the kitchen fills it later; the customer chats and peeks, and waits
 * only when it wants to eat.
 *
 * <pre>{@code
 * result_future = started_but_unfinished_job()     Future<String> box = order("margherita");
 * ...chat, peek...                                  box.done()  // false
 * result = await result_future                      String pizza = box.await();
 * }</pre>
 */
public final class Pizzeria {

    private Pizzeria() {
    }

    /** Places an order: the box comes back at once, the pizza materialises in it later. */
    static Future<String> order(String pizza, double bakeSeconds) {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<String> box = loop.createFuture();
        loop.callLater(Pace.seconds(bakeSeconds), () -> box.setResult("a hot " + pizza));
        return box;
    }

    /** Runs the program, printing to {@code out}. */
    public static void run(PrintStream out) {
        long start = System.nanoTime();
        Asyncio.run(() -> {
            Future<String> box = order("margherita", 1.0);
            out.println("ordered a margherita; got the box at once: done=" + box.done());
            out.println("chatting while the kitchen works...");
            Asyncio.sleep(Pace.seconds(0.5));
            out.println("peek into the box: done=" + box.done());
            String pizza = box.await();
            out.println("the box is ready: done=" + box.done() + ", inside: " + pizza);
        });
        out.println("wall time: " + Pace.elapsedSince(start) + " (the baking time, spent chatting)");
    }

    /**
     * Runs the program on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }
}
