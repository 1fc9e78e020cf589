package org.jasyncio.examples.seed;

import java.io.PrintStream;
import org.jasyncio.Asyncio;

/**
 * Seed section 5, "async / await in practice".
 *
 * <pre>{@code
 * async def main():                 Asyncio.run(() -> {
 *     print('hello')                    out.println("hello");
 *     await asyncio.sleep(1)            Asyncio.sleep(1);
 *     print('world')                    out.println("world");
 * asyncio.run(main())               });
 * }</pre>
 */
public final class HelloWorld {

    private HelloWorld() {
    }

    /** Runs the program, printing to {@code out}. */
    public static void run(PrintStream out) {
        long start = System.nanoTime();
        Asyncio.run(() -> {
            out.println("hello");
            Asyncio.sleep(Pace.seconds(1));
            out.println("world");
        });
        out.println("wall time: " + Pace.elapsedSince(start));
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
