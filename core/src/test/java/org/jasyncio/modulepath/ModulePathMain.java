package org.jasyncio.modulepath;

import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;

/**
 * A user's program for {@code StrandFallbackTest}'s module-path cases: it lives outside module
 * {@code org.jasyncio} (this package is not the module's), so a child JVM runs it from the class
 * path while jasyncio comes from the module path. Prints which module jasyncio was loaded as,
 * the result of a small gather, and the strand in use.
 */
public final class ModulePathMain {

    private ModulePathMain() {
    }

    /**
     * Runs the program and prints its results on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("module: " + Asyncio.class.getModule().getName());
        List<Integer> results = Asyncio.run(() -> {
            Task<Integer> slow = Asyncio.createTask(() -> {
                Asyncio.sleep(0.02);
                return 1;
            });
            Task<Integer> fast = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                return 2;
            });
            return Asyncio.gather(List.of(slow, fast)).await();
        });
        System.out.println("gathered: " + results);
        System.out.println("strand: " + Asyncio.strandName());
    }
}
