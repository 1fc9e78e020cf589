package org.jasyncio.examples.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The main job runs every seed section, in the seed's order. */
class WalkthroughTest {

    @Test
    void printsEverySectionInTheSeedsOrder() throws Exception {
        List<String> headings = SeedOutput.capture(Walkthrough::run).stream()
                .filter(l -> l.startsWith("## "))
                .toList();
        assertEquals(List.of(
                "## 1) Threads: ten jobs on ten platform threads",
                "## 3) Coroutines with asyncio: ten jobs gathered",
                "## 4) Futures: the pizza box",
                "## 5) async / await in practice: hello, world",
                "## 6) Task ordering",
                "## 7) Quiz: sequential awaits",
                "## 7) Quiz: concurrent awaits with tasks",
                "## 7) Quiz: both again under virtual time, as a test runs them"), headings);
    }
}
