package org.jasyncio.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jasyncio.Aclosing;
import org.jasyncio.AsyncGenerator;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.EventLoop;
import org.jasyncio.StopAsyncIterationException;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** StreamReader fed by hand: asyncio's test_streams.py StreamReader tests. */
@Timeout(30)
class StreamReaderTest {

    private static byte[] b(String s) {
        return s.getBytes();
    }

    private static String s(byte[] b) {
        return new String(b);
    }

    @Test
    void readReturnsWhatIsBufferedUpToN() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("line1\nline2"));
            assertEquals("line1", s(r.read(5)));
            assertEquals("\nline2", s(r.read(100)));
            assertEquals(0, r.read(0).length);
        });
    }

    @Test
    void readWaitsForData() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.read(30));
            Asyncio.sleep(0);
            assertFalse(t.done());
            r.feedData(b("chunk"));
            assertEquals("chunk", s(t.await()));
        });
    }

    @Test
    void readAtEofIsEmptyAndReadAllReadsToEof() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> all = Asyncio.createTask(() -> r.read(-1));
            r.feedData(b("a"));
            Asyncio.sleep(0);
            r.feedData(b("b"));
            r.feedEof();
            assertEquals("ab", s(all.await()));
            assertTrue(r.atEof());
            assertEquals(0, r.read(10).length);
        });
    }

    @Test
    void atEofOnlyWhenEofFedAndBufferEmpty() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("x"));
            r.feedEof();
            assertFalse(r.atEof());
            r.read(1);
            assertTrue(r.atEof());
        });
    }

    @Test
    void readlineIncludesTheNewlineAndSpansFeeds() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("chunk1 "));
            Task<byte[]> t = Asyncio.createTask(r::readline);
            Asyncio.sleep(0);
            r.feedData(b("chunk2 "));
            Asyncio.sleep(0);
            assertFalse(t.done());
            r.feedData(b("chunk3\nchunk4"));
            assertEquals("chunk1 chunk2 chunk3\n", s(t.await()));
            r.feedEof();
            assertEquals("chunk4", s(r.readline())); // at EOF: the rest, without newline
            assertEquals(0, r.readline().length);    // then empty
        });
    }

    @Test
    void readlineOverLimitDiscardsTheLineAndThrows() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(7);
            r.feedData(b("1234567890\nnext\n"));
            assertThrows(IllegalArgumentException.class, r::readline); // asyncio: ValueError
            assertEquals("next\n", s(r.readline()));
        });
    }

    @Test
    void readlineOverLimitWithoutNewlineClearsTheBuffer() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(3);
            r.feedData(b("12345678"));
            assertThrows(IllegalArgumentException.class, r::readline); // asyncio: ValueError
            r.feedData(b("ok\n"));
            assertEquals("ok\n", s(r.readline()));
        });
    }

    @Test
    void readuntilReturnsUpToAndIncludingTheSeparator() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("lineAAA"));
            Task<byte[]> t = Asyncio.createTask(() -> r.readuntil(b("AAA")));
            assertEquals("lineAAA", s(t.await()));
            r.feedData(b("xxAxA"));
            Task<byte[]> t2 = Asyncio.createTask(() -> r.readuntil(b("AA")));
            Asyncio.sleep(0);
            assertFalse(t2.done());
            r.feedData(b("A!"));
            assertEquals("xxAxAA", s(t2.await()));
            assertEquals("!", s(r.read(5)));
        });
    }

    @Test
    void readuntilWithSeveralSeparatorsTakesTheMatchThatEndsFirst() {
        // asyncio 3.13: readuntil((b'\r\n', b'\n')).
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("ab\ncd\r\nef|"));
            assertEquals("ab\n", s(r.readuntil(b("\r\n"), b("\n"))));
            assertEquals("cd\r\n", s(r.readuntil(b("\n"), b("\r\n"))));
            assertEquals("ef|", s(r.readuntil(b("\n"), b("|"))));
            assertThrows(IllegalArgumentException.class, () -> r.readuntil(new byte[0][]));
            assertThrows(IllegalArgumentException.class, () -> r.readuntil(new byte[0]));
        });
    }

    @Test
    void readuntilAtEofThrowsIncompleteReadWithThePartialBytes() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("no separator"));
            r.feedEof();
            IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> r.readuntil(b("\n")));
            assertEquals("no separator", s(e.partial()));
            assertEquals(-1, e.expected());
            assertTrue(r.atEof());
        });
    }

    @Test
    void readuntilOverLimitThrowsAndKeepsTheData() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(3);
            r.feedData(b("1234567\n"));
            LimitOverrunException e = assertThrows(LimitOverrunException.class, () -> r.readuntil(b("\n")));
            assertTrue(e.consumed() > 3);
            assertEquals("1234567\n", s(r.read(100)));
        });
    }

    @Test
    void readexactlyWaitsForAllTheBytes() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.readexactly(10));
            r.feedData(b("12345"));
            Asyncio.sleep(0);
            assertFalse(t.done());
            r.feedData(b("67890abc"));
            assertEquals("1234567890", s(t.await()));
            assertEquals("abc", s(r.read(10)));
            assertEquals(0, r.readexactly(0).length);
            assertThrows(IllegalArgumentException.class, () -> r.readexactly(-1));
        });
    }

    @Test
    void readexactlyAtEofThrowsIncompleteReadWithThePartialBytes() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("1234"));
            r.feedEof();
            IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> r.readexactly(10));
            assertEquals("1234", s(e.partial()));
            assertEquals(10, e.expected());
        });
    }

    @Test
    void setExceptionWakesTheWaiterAndFailsLaterReads() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.read(10));
            Asyncio.sleep(0);
            IOException boom = new IOException("boom");
            r.setException(boom);
            Exception e = assertThrows(Exception.class, t::await);
            assertSame(boom, e);
            assertSame(boom, r.exception());
            assertThrows(Exception.class, () -> r.readline());
        });
    }

    @Test
    void cancelledReadLosesNoBytes() {
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.readexactly(6));
            r.feedData(b("abc"));
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            r.feedData(b("def"));
            assertEquals("abcdef", s(r.readexactly(6)));
        });
    }

    @Test
    void twoConcurrentReadersIsAnError() {
        // asyncio: "readline() called while another coroutine is already waiting for incoming data"
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> first = Asyncio.createTask(() -> r.read(1));
            Asyncio.sleep(0);
            IllegalStateException e = assertThrows(IllegalStateException.class, r::readline);
            assertTrue(e.getMessage().contains("already waiting"));
            r.feedData(b("x"));
            assertArrayEquals(b("x"), first.await());
        });
    }

    @Test
    void badLimitIsRejected() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertThrows(IllegalArgumentException.class, () -> new StreamReader(0, loop));
        });
    }

    @Test
    void linesIteratesUntilEofWaitingForEachLine() {
        // asyncio's `async for line in reader`: each step awaits readline(); b'' ends the loop
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<List<String>> t = Asyncio.createTask(() -> {
                List<String> got = new ArrayList<>();
                for (byte[] line : r.lines()) {
                    got.add(s(line));
                }
                return got;
            });
            r.feedData(b("one\ntw"));
            Asyncio.sleep(0);
            assertFalse(t.done(), "the iteration waits for the rest of the second line");
            r.feedData(b("o\nlast"));
            r.feedEof();
            assertEquals(List.of("one\n", "two\n", "last"), t.await());
        });
    }

    @Test
    void linesAtEofIsEmptyAndNextThrows() {
        // __anext__ raises StopAsyncIteration at b'': a StopAsyncIterationException, which is
        // the NoSuchElementException an exhausted iterator throws.
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedEof();
            AsyncGenerator<byte[]> lines = r.lines();
            Iterator<byte[]> it = lines.iterator();
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            assertThrows(StopAsyncIterationException.class, lines::anext);
        });
    }

    @Test
    void linesReadsNothingBeforeItsFirstStepAndNoLineAhead() {
        // asyncio's __anext__ awaits one readline() per step: lines() itself reads nothing,
        // and a consumer that breaks out leaves the rest of the stream in the reader.
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("one\ntwo\nthree\n"));
            AsyncGenerator<byte[]> lines = r.lines();
            assertEquals("one\n", s(r.readline()), "lines() read nothing");
            for (byte[] line : lines) {
                assertEquals("two\n", s(line));
                break;
            }
            assertEquals("three\n", s(r.readline()), "no line was read ahead");
            lines.aclose();
            r.feedEof();
            assertThrows(StopAsyncIterationException.class, lines::anext);
        });
    }

    @Test
    void aReadErrorPropagatesFromTheIterationUnchangedAndEndsIt() {
        // __anext__ propagates readline()'s exception (here the connection's IOException, after
        // the buffered lines); the generator is then finished, the reader keeps its state.
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            IOException reset = new IOException("connection reset");
            AsyncGenerator<byte[]> lines = r.lines();
            List<String> got = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                for (byte[] line : lines) {
                    got.add(s(line));
                }
            });
            r.feedData(b("one\n"));
            Asyncio.sleep(0);
            r.setException(reset);
            assertSame(reset, assertThrows(IOException.class, t::await));
            assertEquals(List.of("one\n"), got);
            assertThrows(StopAsyncIterationException.class, lines::anext);
            assertSame(reset, r.exception());
        });
    }

    @Test
    void aLineOverTheLimitEndsThisIterationButNotTheStream() {
        // readline()'s ValueError (IllegalArgumentException here) propagates from __anext__. The
        // generator is finished; a new lines() goes on after the discarded line, as a new
        // `async for line in reader` does in asyncio.
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(4, Asyncio.getRunningLoop());
            r.feedData(b("ab\ntoo long\ncd\n"));
            r.feedEof();
            AsyncGenerator<byte[]> lines = r.lines();
            assertEquals("ab\n", s(lines.anext()));
            assertThrows(IllegalArgumentException.class, lines::anext);
            assertThrows(StopAsyncIterationException.class, lines::anext);
            List<String> rest = new ArrayList<>();
            for (byte[] line : r.lines()) {
                rest.add(s(line));
            }
            assertEquals(List.of("cd\n"), rest);
        });
    }

    @Test
    void linesUnderAclosingIsClosedAtTheEndOfTheBlock() {
        // contextlib.aclosing over the line generator: the block's end closes it.
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("one\ntwo\n"));
            AsyncGenerator<byte[]> lines = r.lines();
            try (Aclosing<byte[]> a = Aclosing.aclosing(lines)) {
                for (byte[] line : a) {
                    assertEquals("one\n", s(line));
                    break;
                }
            }
            assertTrue(lines.toString().endsWith("[closed]"), lines.toString());
            assertEquals("two\n", s(r.readline()));
        });
    }
}
