package org.jasyncio.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StreamReader#readLine()} and {@link StreamReader#readLine(Charset)}: the lines of
 * {@link StreamReader#readline()}, decoded and without their line end, null at end of file as
 * {@link BufferedReader#readLine()} answers (no asyncio counterpart; asyncio code decodes
 * {@code await reader.readline()} itself).
 */
@Timeout(30)
class StreamReaderTextTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every line {@code readLine()} gives for {@code input}, up to its null. */
    private static List<String> lines(String input) throws Exception {
        return Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(utf8(input));
            r.feedEof();
            List<String> out = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.add(line);
            }
            assertNull(r.readLine(), "null again after end of file");
            return out;
        });
    }

    /** What BufferedReader.readLine() gives for the same text. */
    private static List<String> bufferedReaderLines(String input) throws Exception {
        List<String> out = new ArrayList<>();
        BufferedReader br = new BufferedReader(new StringReader(input));
        for (String line = br.readLine(); line != null; line = br.readLine()) {
            out.add(line);
        }
        return out;
    }

    @Test
    void linesEndAtNewlineOrCarriageReturnNewlineLikeBufferedReader() throws Exception {
        for (String input : List.of("a\nb\n", "a\r\nb\r\n", "a\nb", "a\r\n\r\nb", "\n\n", "", "only",
                "mixed\r\nends\nhere")) {
            assertEquals(bufferedReaderLines(input), lines(input), "input " + input.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }

    @Test
    void anEmptyLineIsAnEmptyStringAndEndOfFileIsNull() throws Exception {
        assertEquals(List.of("", "x", ""), lines("\nx\n\n"));
        assertEquals(List.of(), lines(""));
    }

    @Test
    void aLoneCarriageReturnStaysInTheLineUnlikeBufferedReader() throws Exception {
        // Lines are exactly readline()'s, which splits on \n only; BufferedReader also ends one at \r.
        assertEquals(List.of("a\rb", "c\r"), lines("a\rb\nc\r"));
        assertEquals(List.of("a", "b", "c"), bufferedReaderLines("a\rb\nc\r"));
    }

    @Test
    void readLineWaitsForTheWholeLine() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<String> line = Asyncio.createTask(() -> r.readLine());
            r.feedData(utf8("hal"));
            Asyncio.sleep(0);
            assertFalse(line.done());
            r.feedData(utf8("f\r"));
            Asyncio.sleep(0);
            assertFalse(line.done(), "a \\r alone does not end the line");
            r.feedData(utf8("\nnext"));
            assertEquals("half", line.await());
            assertTrue(r.toString().contains("4 bytes"), r.toString());
        });
    }

    @Test
    void utf8IsTheDefaultAndACharacterSplitAcrossFeedsDecodesWhole() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            byte[] text = utf8("Grüße, 世界 🌍\n");
            r.feedData(java.util.Arrays.copyOfRange(text, 0, 3)); // "Gr" and half of "ü"
            Task<String> line = Asyncio.createTask(() -> r.readLine());
            Asyncio.sleep(0);
            r.feedData(java.util.Arrays.copyOfRange(text, 3, text.length));
            assertEquals("Grüße, 世界 🌍", line.await());
        });
    }

    @Test
    void anotherAsciiCompatibleCharsetDecodesItsBytes() {
        Asyncio.run(() -> {
            Charset latin1 = StandardCharsets.ISO_8859_1;
            Charset cp1252 = Charset.forName("windows-1252");
            StreamReader r = new StreamReader();
            r.feedData(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\r', '\n', (byte) 0x80, '\n'});
            assertEquals("café", r.readLine(latin1));
            assertEquals("€", r.readLine(cp1252));
        });
    }

    @Test
    void invalidBytesBecomeTheReplacementCharacter() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(new byte[] {'o', 'k', (byte) 0xFF, '\n'});
            assertEquals("ok\uFFFD", r.readLine());
        });
    }

    @Test
    void aLineOverTheLimitIsDiscardedAndThrowsAsReadline() {
        // asyncio's readline(): ValueError, the line dropped, the stream goes on with the next one.
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(7);
            r.feedData(utf8("1234567890\r\nnext\r\n"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::readLine);
            assertTrue(e.getCause() instanceof LimitOverrunException, String.valueOf(e.getCause()));
            assertEquals("next", r.readLine());
        });
    }

    @Test
    void aCharsetThatDoesNotEncodeNewlineAsOneByteIsRefusedBeforeReading() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(utf8("line\n"));
            for (Charset cs : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, Charset.forName("UTF-32"))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.readLine(cs));
                assertTrue(e.getMessage().contains(cs.name()) && e.getMessage().contains("ASCII-compatible"),
                        e.getMessage());
            }
            NullPointerException npe = assertThrows(NullPointerException.class, () -> r.readLine(null));
            assertEquals("charset", npe.getMessage());
            assertEquals("line", r.readLine(), "nothing was read by the refused calls");
        });
    }

    @Test
    void readlineAndReadLineShareTheStream() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(utf8("one\ntwo\r\nthree"));
            r.feedEof();
            assertEquals("one\n", new String(r.readline(), StandardCharsets.UTF_8));
            assertEquals("two", r.readLine());
            assertEquals("three", r.readLine());
            assertEquals(0, r.readline().length);
            assertNull(r.readLine());
        });
    }
}
