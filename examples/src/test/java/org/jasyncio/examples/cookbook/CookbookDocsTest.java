package org.jasyncio.examples.cookbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/cookbook.md against the code: every {@code java} block of the page is a run of lines
 * of one cookbook source file (modulo indentation and blank lines), every file the page links
 * to exists, and the failure it quotes is the one {@link StockTest} gets.
 */
class CookbookDocsTest {

    private static final Path PAGE = Path.of("..", "docs", "cookbook.md");
    private static final List<Path> SOURCES = List.of(
            Path.of("src", "main", "java", "org", "jasyncio", "examples", "cookbook"),
            Path.of("src", "test", "java", "org", "jasyncio", "examples", "cookbook"));

    @Test
    void everyJavaBlockOfThePageIsCodeOfACookbookFile() throws IOException {
        List<List<String>> files = new ArrayList<>();
        for (Path dir : SOURCES) {
            try (Stream<Path> paths = Files.list(dir)) {
                for (Path p : paths.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    files.add(normalized(Files.readString(p)));
                }
            }
        }
        assertTrue(files.size() >= 8, "found the cookbook's sources: " + files.size());
        List<List<String>> blocks = blocks(Files.readString(PAGE), "java");
        assertTrue(blocks.size() >= 10, "the page has its snippets: " + blocks.size());
        for (List<String> block : blocks) {
            assertTrue(files.stream().anyMatch(f -> Collections.indexOfSubList(f, block) >= 0),
                    "docs/cookbook.md has a java block that is in no cookbook source file:\n" + String.join("\n", block));
        }
    }

    @Test
    void everyFileThePageLinksToExists() throws IOException {
        Matcher link = Pattern.compile("\\]\\(([^)#]+)\\)").matcher(Files.readString(PAGE));
        int links = 0;
        while (link.find()) {
            Path target = PAGE.getParent().resolve(link.group(1)).normalize();
            assertTrue(Files.exists(target), "docs/cookbook.md links to a missing file: " + link.group(1));
            links++;
        }
        assertTrue(links >= 5, "links checked: " + links);
    }

    @Test
    void thePageQuotesTheFailureTheRacyTestGets() throws IOException {
        String page = Files.readString(PAGE);
        assertTrue(blocks(page, "text").contains(normalized(StockTest.FIRST_FAILURE)),
                "docs/cookbook.md should quote, in a text block:\n" + StockTest.FIRST_FAILURE);
        assertTrue(page.contains(StockTest.FAILING_SCHEDULES + " of the 100 schedules fail"),
                "docs/cookbook.md should say how many schedules fail: " + StockTest.FAILING_SCHEDULES);
    }

    @Test
    void theCheckFindsABlockThatDrifted() {
        List<String> source = normalized("""
                class X {
                    void a() {
                        Asyncio.sleep(1);
                    }
                }
                """);
        List<List<String>> blocks = blocks("""
                text
                ```java
                void a() {
                    Asyncio.sleep(2);
                }
                ```
                ```java
                  void a() {

                      Asyncio.sleep(1);
                ```
                """, "java");
        assertEquals(2, blocks.size());
        assertEquals(-1, Collections.indexOfSubList(source, blocks.get(0)), "a changed line is caught");
        assertTrue(Collections.indexOfSubList(source, blocks.get(1)) >= 0, "indentation and blank lines do not count");
        assertFalse(blocks("```text\nx\n```\n", "java").iterator().hasNext(), "only the language asked for");
    }

    /** The fenced blocks of {@code language} of a Markdown page, each as its normalized lines. */
    static List<List<String>> blocks(String page, String language) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : page.split("\n", -1)) {
            if (current == null && line.strip().equals("```" + language)) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(normalized(String.join("\n", current)));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    /** The lines stripped of indentation and trailing blanks, without empty lines. */
    static List<String> normalized(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
