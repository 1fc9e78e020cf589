package org.jasyncio.examples.debug;

import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.jasyncio.TaskGroup;
import org.jasyncio.sync.Event;
import org.jasyncio.sync.Lock;
import org.jasyncio.sync.Queue;

/**
 * A program that hangs, to look into (docs/debugging.md). Nobody ever places an order, so the
 * chef waits on the order queue; the baker holds the oven and waits for dough nobody makes, so
 * the pastry cook waits for the oven; the waiter and the cashier wait for each other; the
 * manager's task group waits for its shift to end.
 *
 * <pre>
 * ./jasyncio run org.jasyncio.examples.debug.StuckKitchen          # hangs; prints its pid
 * ./jasyncio ps PID                                                # from another terminal
 * ./jasyncio pstree PID
 * ./jasyncio run org.jasyncio.examples.debug.StuckKitchen --dump   # prints the same from inside, then ends
 * </pre>
 */
public final class StuckKitchen {

    private StuckKitchen() {
    }

    /**
     * Opens the kitchen.
     *
     * @param args {@code --dump} to print the call graph and the dumps from inside and end
     */
    public static void main(String[] args) {
        boolean dump = List.of(args).contains("--dump");
        Asyncio.run(() -> {
            Queue<String> orders = new Queue<>();
            Lock oven = new Lock();
            Event doughReady = new Event();
            Task<Void> chef = Asyncio.createTask(() -> cook(orders), "chef");
            Asyncio.createTask(() -> bake(oven, doughReady), "baker");
            Asyncio.createTask(() -> bake(oven, doughReady), "pastry");
            Task<?>[] cashier = new Task<?>[1];
            Task<String> waiter = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                return collectTip(cashier[0]);
            }, "waiter");
            cashier[0] = Asyncio.createTask(() -> printBill(waiter), "cashier");
            Task<Void> manager = Asyncio.createTask(() -> manage(chef), "manager");
            for (int i = 0; i < 5; i++) {
                Asyncio.sleep(0); // every task reaches the point where it waits
            }
            if (dump) {
                System.out.println(Asyncio.formatCallGraph(chef));
                System.out.println();
                System.out.print(Asyncio.getRunningLoop().dumpTasks());
                System.out.println();
                System.out.print(Asyncio.getRunningLoop().dumpTaskTree());
                cashier[0].cancel(); // ends the waiter-cashier cycle, then Asyncio.run cancels the rest
                manager.cancel();
                return;
            }
            System.out.println("kitchen open, pid " + ProcessHandle.current().pid()
                    + ": ./jasyncio ps " + ProcessHandle.current().pid());
            new Future<Void>().await();
        });
    }

    static void cook(Queue<String> orders) {
        String order = orders.get();
        System.out.println("cooking " + order);
    }

    static void bake(Lock oven, Event doughReady) {
        oven.acquire();
        try {
            doughReady.await();
        } finally {
            oven.release();
        }
    }

    static String collectTip(Task<?> cashier) {
        return "tip after " + cashier.await();
    }

    static String printBill(Task<String> waiter) {
        // Shielded: a cancelled cashier must not cancel the waiter. It also makes a cycle.
        return "bill for " + Asyncio.shield(waiter).await();
    }

    static void manage(Task<Void> chef) throws Exception {
        TaskGroup.run(tg -> {
            tg.createTask(() -> Asyncio.sleep(8 * 3600), "shift");
            tg.createTask(() -> chef.await(), "inspector");
        });
    }
}
