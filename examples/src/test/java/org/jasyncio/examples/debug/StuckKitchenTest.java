package org.jasyncio.examples.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The debugging example's --dump output, as docs/debugging.md shows it: every line but the ids,
 * the strand and the lines of the source, which vary.
 */
@Timeout(30)
class StuckKitchenTest {

    @Test
    void dumpShowsWhatEachTaskWaitsFor() {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            StuckKitchen.main(new String[] {"--dump"});
        } finally {
            System.setOut(saved);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines()
                .map(l -> l.replaceAll("0x[0-9a-f]+", "0x…").replaceAll("java:\\d+", "java:N")
                        .replaceAll("line \\d+", "line N").replaceAll("\\((continuation|virtual) strand\\)", "(S strand)")
                        .replaceAll("lambda\\$main\\$\\d+", "lambda\\$main\\$N").replaceAll("lambda\\$manage\\$\\d+", "lambda\\$manage\\$N")
                        .stripTrailing())
                .toList();
        String text = String.join("\n", lines);
        List<String> expectedGraph = List.of(
                "* Task(name='chef', id=0x…)",
                "  + Call stack:",
                "  |   File 'StuckKitchen.java', line N, in org.jasyncio.examples.debug.StuckKitchen.cook()",
                "  |   File 'StuckKitchen.java', line N, in org.jasyncio.examples.debug.StuckKitchen.lambda$main$N()",
                "  + Awaited by:",
                "    * Task(name='inspector', id=0x…)",
                "      + Call stack:",
                "      |   File 'StuckKitchen.java', line N, in org.jasyncio.examples.debug.StuckKitchen.lambda$manage$N()",
                "      + Awaited by:",
                "        * Task(name='manager', id=0x…)",
                "          + Call stack:",
                "          |   File 'StuckKitchen.java', line N, in org.jasyncio.examples.debug.StuckKitchen.manage()",
                "          |   File 'StuckKitchen.java', line N, in org.jasyncio.examples.debug.StuckKitchen.lambda$main$N()");
        assertEquals(expectedGraph, lines.subList(0, expectedGraph.size()), text);
        assertTrue(text.contains("\nevent loop 1 on thread \"main\" (S strand): 9 tasks\n") || text.contains(" (S strand): 9 tasks\n"),
                text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("0x…\\s+chef\\s+waiting\\s+StuckKitchen\\.cook\\(StuckKitchen\\.java:N\\)\\s+Queue\\.get\\s+inspector")),
                text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("0x…\\s+pastry\\s+waiting\\s+.*\\s+Lock held by baker\\s+-")), text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("0x…\\s+baker\\s+waiting\\s+.*\\s+Event\\.await\\s+-")), text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("0x…\\s+shift\\s+waiting\\s+.*\\s+sleep 28800 s\\s+manager")), text);
        assertTrue(text.contains("""
                await cycles (each task waits for the next, so none of them can finish):
                  waiter -> cashier -> waiter (cycle)
                """), text);
        assertTrue(text.contains("""
                └── (T) manager  waiting at StuckKitchen.manage(StuckKitchen.java:N) on TaskGroup exit, waiting for shift, inspector
                    ├── (T) shift  waiting at StuckKitchen.lambda$manage$N(StuckKitchen.java:N) on sleep 28800 s
                    └── (T) inspector  waiting at StuckKitchen.lambda$manage$N(StuckKitchen.java:N) on chef
                        └── (T) chef  waiting at StuckKitchen.cook(StuckKitchen.java:N) on Queue.get
                └── (T) waiter  waiting at StuckKitchen.collectTip(StuckKitchen.java:N) on cashier
                    └── (T) cashier  waiting at StuckKitchen.printBill(StuckKitchen.java:N) on shield of waiter
                        └── (T) waiter (cycle)"""), text);
    }
}
