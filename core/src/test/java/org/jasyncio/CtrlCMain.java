package org.jasyncio;

/**
 * The child JVM's program for {@link CtrlCTest}: runs a main task under {@link Asyncio#run},
 * prints {@code ready} once it waits, and reports on standard output what each Ctrl-C makes
 * it do. The argument picks the main task:
 * <ul>
 *   <li>{@code taskgroup}: a {@link TaskGroup} whose two children sleep; every
 *       {@code finally} prints; {@code main(String[])} lets the {@link KeyboardInterrupt}
 *       propagate.</li>
 *   <li>{@code stubborn}: catches its cancellation, withdraws it and sleeps again, so only a
 *       second Ctrl-C ends it.</li>
 *   <li>{@code handler}: adds a loop handler for SIGINT, which takes the first Ctrl-C
 *       (printing where it ran), then removes it, prints {@code ready again}, and catches
 *       the cancellation the next Ctrl-C brings, returning normally.</li>
 *   <li>{@code after}: runs a main task to its end, then waits outside any loop, where Ctrl-C
 *       must do what the JVM does by default.</li>
 * </ul>
 * A shutdown hook prints {@code shutdown hook}.
 */
public final class CtrlCMain {

    private CtrlCMain() {
    }

    /**
     * Runs the program.
     *
     * @param args {@code taskgroup}, {@code stubborn}, {@code handler} or {@code after}
     */
    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> print("shutdown hook")));
        switch (args[0]) {
            case "taskgroup" -> Asyncio.run(CtrlCMain::taskGroup);
            case "stubborn" -> Asyncio.run(CtrlCMain::stubborn);
            case "handler" -> print("main returned " + Asyncio.run(CtrlCMain::handler));
            case "after" -> {
                print("main returned " + Asyncio.run(() -> "42"));
                print("ready");
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    print("interrupted");
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        print("Asyncio.run returned");
    }

    private static void taskGroup() {
        try {
            TaskGroup.run(tg -> {
                for (int i = 1; i <= 2; i++) {
                    int n = i;
                    tg.createTask(() -> {
                        try {
                            Asyncio.sleep(3600);
                        } finally {
                            print("child " + n + " cleaned up");
                        }
                    });
                }
                Asyncio.sleep(0.01);
                print("ready");
                Asyncio.sleep(3600);
            });
        } finally {
            Asyncio.sleep(0.01); // a finally block of a cancelled task may still await
            print("main finally ran");
        }
    }

    private static void stubborn() {
        print("ready");
        while (true) {
            try {
                Asyncio.sleep(3600);
            } catch (CancelledError e) {
                Asyncio.currentTask().uncancel();
                print("main ignored its cancellation");
            }
        }
    }

    private static String handler() {
        EventLoop loop = Asyncio.getRunningLoop();
        org.jasyncio.sync.Event got = new org.jasyncio.sync.Event();
        loop.addSignalHandler("SIGINT", () -> {
            // The loop runs on the thread that called Asyncio.run, "main"; the JVM's signal thread is "SIGINT handler".
            boolean asCallback = Thread.currentThread().getName().equals("main") && loop.inEventLoop()
                    && Asyncio.currentTask() == null;
            print("handler ran " + (asCallback ? "as a callback of the loop" : "elsewhere"));
            got.set();
        });
        print("ready");
        got.await();
        print("removed: " + loop.removeSignalHandler("SIGINT"));
        print("ready again");
        try {
            Asyncio.sleep(3600);
            return "unexpectedly";
        } catch (CancelledError e) {
            print("main cancelled: " + e.getMessage());
            return "normally";
        }
    }

    private static void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
