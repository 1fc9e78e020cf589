package org.jasyncio.examples.seed;

import java.io.PrintStream;

/**
 * The main job: every program of the seed notes, in the seed's order, each under a heading
 * naming its section, printing what Python prints plus measured wall times.
 * Run with {@code ./jasyncio demo}; {@code --time-scale 0.1} runs it ten times faster.
 */
public final class Walkthrough {

    private Walkthrough() {
    }

    /** Runs every section, printing to {@code out}. */
    public static void run(PrintStream out) throws InterruptedException {
        if (Pace.scale() != 1.0) {
            out.println("(time scale " + Pace.scale() + ": every delay is scaled, and wall times are shown"
                    + " on the seed's scale)");
        }
        section(out, "1) Threads: ten jobs on ten platform threads");
        ThreadsJob.run(out);
        section(out, "3) Coroutines with asyncio: ten jobs gathered");
        GatherJobs.run(out);
        section(out, "4) Futures: the pizza box");
        Pizzeria.run(out);
        section(out, "5) async / await in practice: hello, world");
        HelloWorld.run(out);
        section(out, "6) Task ordering");
        TaskOrdering.run(out);
        section(out, "7) Quiz: sequential awaits");
        Quiz.sequential(out);
        section(out, "7) Quiz: concurrent awaits with tasks");
        Quiz.concurrent(out);
        section(out, "7) Quiz: both again under virtual time, as a test runs them");
        Quiz.underVirtualTime(out);
    }

    private static void section(PrintStream out, String title) {
        out.println();
        out.println("## " + title);
    }

    /**
     * Runs the walkthrough on standard output.
     *
     * @param args optionally {@code --time-scale X}, the same as {@code -Djasyncio.examples.timeScale=X}
     * @throws InterruptedException if interrupted while joining the threads job
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length == 2 && args[0].equals("--time-scale")) {
            System.setProperty(Pace.PROPERTY, args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: Walkthrough [--time-scale X]   (X = 0.1 runs ten times faster)");
            System.exit(2);
        }
        run(System.out);
    }
}
