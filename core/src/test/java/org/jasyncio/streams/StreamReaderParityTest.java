package org.jasyncio.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.EventLoop;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jasyncio.net.Protocol;
import org.jasyncio.net.Transport;

/**
 * Parity with CPython 3.13's Lib/test/test_asyncio/test_streams.py for the behaviours
 * StreamReaderTest does not already pin. Each test names the CPython test it mirrors.
 * Documented difference respected here: after setException the bytes already buffered stay
 * readable (asyncio raises at once).
 */
@Timeout(30)
class StreamReaderParityTest {

    private static byte[] b(String s) {
        return s.getBytes();
    }

    private static String s(byte[] b) {
        return new String(b);
    }

    /** Drains the reader's buffer without waiting: feeds EOF and reads everything. */
    private static String rest(StreamReader r) throws Exception {
        r.feedEof();
        return s(r.read(-1));
    }

    /** A transport that only records pause/resume calls, for the reader's flow control. */
    static final class FakeTransport implements Transport {
        final List<String> calls = new ArrayList<>();
        boolean reading = true;
        boolean closing;
        boolean pausable = true;
        Protocol protocol;

        @Override public void write(byte[] data) {
            calls.add("write " + data.length);
        }
        @Override public void close() {
            closing = true;
        }
        @Override public void abort() {
            closing = true;
        }
        @Override public boolean isClosing() {
            return closing;
        }
        @Override public Object getExtraInfo(String name) {
            return null;
        }
        @Override public void pauseReading() {
            if (!pausable) {
                throw new UnsupportedOperationException("cannot pause");
            }
            calls.add("pause");
            reading = false;
        }
        @Override public void resumeReading() {
            calls.add("resume");
            reading = true;
        }
        @Override public boolean isReading() {
            return reading;
        }
        @Override public void setWriteBufferLimits(int high, int low) {
        }
        @Override public long getWriteBufferSize() {
            return 0;
        }
        @Override public int[] getWriteBufferLimits() {
            return new int[] {0, 0};
        }
        @Override public boolean canWriteEof() {
            return true;
        }
        @Override public void writeEof() {
            calls.add("writeEof");
        }
        @Override public Protocol getProtocol() {
            return protocol;
        }
        @Override public void setProtocol(Protocol protocol) {
            this.protocol = protocol;
        }
    }

    // ------------------------------------------------------------------ feeding

    @Test
    void feedEmptyDataIsANoOpAndWakesNobody() {
        // test_feed_empty_data (feed_data(b'') returns before waking the waiter)
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.read(5));
            Asyncio.sleep(0);
            r.feedData(new byte[0]);
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertFalse(t.done());
            r.feedData(b("x"));
            assertEquals("x", s(t.await()));
        });
    }

    @Test
    void feedDataAfterFeedEofIsRejected() {
        // streams.py feed_data: assert not self._eof, 'feed_data after feed_eof'
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("ab"));
            r.feedEof();
            assertThrows(IllegalStateException.class, () -> r.feedData(b("c")));
            assertEquals("ab", s(r.read(-1)));
        });
    }

    @Test
    void setTransportTwiceIsRejected() {
        // streams.py set_transport: assert self._transport is None, 'Transport already set'
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.setTransport(new FakeTransport());
            assertThrows(IllegalStateException.class, () -> r.setTransport(new FakeTransport()));
        });
    }

    @Test
    void negativeLimitIsRejected() {
        // test_invalid_limit (limit=-1)
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new StreamReader(-1, loop));
            assertTrue(e.getMessage().contains("imit"));
        });
    }

    @Test
    void constructorWithoutARunningLoopIsRejected() {
        // test_streamreader_constructor_without_loop: RuntimeError 'There is no current event loop'
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new StreamReader());
        assertTrue(e.getMessage().contains("no running event loop"), e.getMessage());
    }

    @Test
    void constructorUsesTheRunningLoop() {
        // test_streamreader_constructor_use_running_loop: a read on a reader built inside the loop waits on it
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Asyncio.getRunningLoop().callSoon(() -> r.feedData(b("z")));
            assertEquals("z", s(r.read(1)));
        });
    }

    // ------------------------------------------------------------------ read

    @Test
    void readZeroLeavesTheBufferAlone() {
        // test_read_zero
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("line1\nline2\n"));
            assertEquals(0, r.read(0).length);
            assertEquals("line1\nline2\n", rest(r));
        });
    }

    @Test
    void readStopsAtEofWithEmptyBytes() {
        // test_read_eof: a waiting read(1024) gets b'' when EOF is fed
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.read(1024));
            Asyncio.getRunningLoop().callSoon(r::feedEof);
            assertEquals(0, t.await().length);
            assertTrue(r.atEof());
        });
    }

    @Test
    void readAllWithFeedsAndEofInOneCallback() {
        // test_read_until_eof
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.read(-1));
            Asyncio.getRunningLoop().callSoon(() -> {
                r.feedData(b("chunk1\n"));
                r.feedData(b("chunk2"));
                r.feedEof();
            });
            assertEquals("chunk1\nchunk2", s(t.await()));
            assertTrue(r.atEof());
        });
    }

    @Test
    void readIsNotBoundedByTheLimit() {
        // test_read_limit and test_readexactly_limit: limit=3, read(5)/readexactly(5) return 5 bytes
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(3);
            r.feedData(b("chunk"));
            assertEquals("chunk", s(r.read(5)));
            r.feedData(b("chunk"));
            assertEquals("chunk", s(r.readexactly(5)));
        });
    }

    @Test
    void readFirstDrainsBufferedBytesThenRaisesTheSetException() {
        // test_read_exception, with our documented difference: buffered bytes stay readable first
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("line\n"));
            assertEquals("li", s(r.read(2)));
            IOException boom = new IOException("boom");
            r.setException(boom);
            assertEquals("ne\n", s(r.read(10)));
            assertSame(boom, assertThrows(Exception.class, () -> r.read(2)));
            assertSame(boom, assertThrows(Exception.class, () -> r.read(-1)));
        });
    }

    @Test
    void readexactlyRaisesTheSetExceptionWhenTheBufferCannotSatisfyIt() {
        // test_readexactly_exception (buffered "ne\n" is too short for 5 bytes)
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("line\n"));
            assertEquals("li", s(r.readexactly(2)));
            IOException boom = new IOException("boom");
            r.setException(boom);
            assertSame(boom, assertThrows(Exception.class, () -> r.readexactly(5)));
            assertSame(boom, assertThrows(Exception.class, () -> r.readuntil(b("X"))));
        });
    }

    @Test
    void anErrorAfterEofIsRaisedOnceTheBufferedBytesAreRead() {
        // read/readexactly/readuntil/readline check self._exception before EOF: an error set after
        // feed_eof is raised, not hidden behind b'' or IncompleteReadError (buffered bytes first, as documented)
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("ab"));
            r.feedEof();
            IOException boom = new IOException("boom");
            r.setException(boom);
            assertSame(boom, assertThrows(IOException.class, () -> r.readexactly(3)));
            assertSame(boom, assertThrows(IOException.class, () -> r.readuntil(b("\n"))));
            assertSame(boom, assertThrows(IOException.class, r::readline));
            assertEquals("ab", s(r.read(5)), "the buffered bytes were kept");
            assertSame(boom, assertThrows(IOException.class, () -> r.read(5)));
            assertSame(boom, assertThrows(IOException.class, () -> r.read(-1)));
            assertSame(boom, assertThrows(IOException.class, () -> r.readexactly(1)));
        });
    }

    @Test
    void halfClosedConnectionLostWithAnErrorRaisesIt() {
        // StreamReaderProtocol: eof_received() feeds EOF, a later connection_lost(exc) sets the exception;
        // asyncio's read() then raises exc instead of returning b''
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            StreamReader r = new StreamReader(StreamReader.DEFAULT_LIMIT, loop);
            StreamReaderProtocol p = new StreamReaderProtocol(r, loop);
            p.connectionMade(new FakeTransport());
            p.dataReceived(b("last"));
            assertTrue(p.eofReceived());
            IOException reset = new IOException("reset");
            p.connectionLost(reset);
            assertEquals("last", s(r.read(-1)));
            assertSame(reset, assertThrows(IOException.class, r::read));
        });
    }

    @Test
    void openConnectionErrorReachesTheReader() {
        // test_open_connection_error: protocol.connection_lost(exc) makes reader.read() raise exc
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            StreamReader r = new StreamReader(StreamReader.DEFAULT_LIMIT, loop);
            StreamReaderProtocol p = new StreamReaderProtocol(r, loop);
            p.connectionMade(new FakeTransport());
            ArithmeticException zde = new ArithmeticException("/ by zero");
            p.connectionLost(zde);
            assertSame(zde, r.exception());
            assertSame(zde, assertThrows(ArithmeticException.class, r::read));
        });
    }

    @Test
    void connectionLostCleanlyIsEof() {
        // StreamReaderProtocol.connection_lost(None) feeds EOF
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            StreamReader r = new StreamReader(StreamReader.DEFAULT_LIMIT, loop);
            StreamReaderProtocol p = new StreamReaderProtocol(r, loop);
            p.connectionMade(new FakeTransport());
            p.dataReceived(b("tail"));
            p.connectionLost(null);
            assertNull(r.exception());
            assertFalse(r.atEof());
            assertEquals("tail", s(r.read()));
            assertTrue(r.atEof());
        });
    }

    // ------------------------------------------------------------------ readline

    @Test
    void readlineLeavesTheRestOfTheLastFeed() {
        // test_readline: feeds "chunk2 ", "chunk3 ", "\n chunk4" in one callback
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("chunk1 "));
            Task<byte[]> t = Asyncio.createTask(r::readline);
            Asyncio.getRunningLoop().callSoon(() -> {
                r.feedData(b("chunk2 "));
                r.feedData(b("chunk3 "));
                r.feedData(b("\n chunk4"));
            });
            assertEquals("chunk1 chunk2 chunk3 \n", s(t.await()));
            assertEquals(" chunk4", rest(r));
        });
    }

    @Test
    void readlineOverLimitWithExistingDataKeepsTheNextLine() {
        // test_readline_limit_with_existing_data (first half): limit=3, "li" + "ne1\nline2\n";
        // asyncio raises ValueError there (readline turns readuntil's LimitOverrunError into it)
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(3);
            r.feedData(b("li"));
            r.feedData(b("ne1\nline2\n"));
            assertThrows(IllegalArgumentException.class, r::readline);
            assertEquals("line2\n", rest(r));
        });
    }

    @Test
    void readlineOverLimitWithoutNewlineEmptiesTheBuffer() {
        // test_readline_limit_with_existing_data (second half): "li" + "ne1" + "li", no newline
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(3);
            r.feedData(b("li"));
            r.feedData(b("ne1"));
            r.feedData(b("li"));
            assertThrows(IllegalArgumentException.class, r::readline);
            assertEquals("", rest(r));
        });
    }

    @Test
    void readlineOverLimitFedWhileWaitingDiscardsOnlyThatLine() {
        // test_readline_limit: limit=7, fed after readline() waits
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(7);
            Task<byte[]> t = Asyncio.createTask(r::readline);
            Asyncio.getRunningLoop().callSoon(() -> {
                r.feedData(b("chunk1"));
                r.feedData(b("chunk2"));
                r.feedData(b("chunk3\n"));
                r.feedEof();
            });
            assertThrows(IllegalArgumentException.class, t::await);
            assertTrue(r.atEof(), "the one over-long line was discarded");

            StreamReader r2 = new StreamReader(7);
            Task<byte[]> t2 = Asyncio.createTask(r2::readline);
            Asyncio.getRunningLoop().callSoon(() -> {
                r2.feedData(b("chunk1"));
                r2.feedData(b("chunk2\n"));
                r2.feedData(b("chunk3\n"));
                r2.feedEof();
            });
            assertThrows(IllegalArgumentException.class, t2::await);
            assertEquals("chunk3\n", s(r2.readline()));
        });
    }

    @Test
    void readlineLimitIsStrictAndCountsTheLineWithoutItsNewline() {
        // test_readline_limit ("check strictness of the limit")
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(7);
            r.feedData(b("1234567\n"));
            assertEquals("1234567\n", s(r.readline()));
            r.feedData(b("12345678\n"));
            assertThrows(IllegalArgumentException.class, r::readline);
            r.feedData(b("12345678"));
            assertThrows(IllegalArgumentException.class, r::readline);
            assertEquals("", rest(r));
        });
    }

    @Test
    void readlineOverTheLimitRaisesTheValueErrorKindNotLimitOverrun() {
        // asyncio's StreamReader.readline(): "except exceptions.LimitOverrunError as e: ...
        // raise ValueError(e.args[0])", so "except LimitOverrunError" does not catch it there,
        // while readuntil() still raises LimitOverrunError (test_readline_limit,
        // test_readuntil_limit_found_sep). jasyncio maps ValueError to IllegalArgumentException.
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(3);
            r.feedData(b("line1\n"));
            LimitOverrunException search = assertThrows(LimitOverrunException.class, () -> r.readuntil(b("\n")));
            assertEquals("Separator is found, but chunk is longer than limit", search.getMessage());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::readline);
            assertEquals("Separator is found, but chunk is longer than limit", e.getMessage());
            LimitOverrunException cause = assertInstanceOf(LimitOverrunException.class, e.getCause());
            assertEquals(5, cause.consumed());

            r.feedData(b("abcdef"));
            IllegalArgumentException notFound = assertThrows(IllegalArgumentException.class, r::readline);
            assertEquals("Separator is not found, and chunk exceed the limit", notFound.getMessage());
            r.feedData(b("toolong\nok\n"));
            assertThrows(IllegalArgumentException.class, r::readline);
            assertEquals("ok\n", s(r.readline()));
            assertEquals("", rest(r)); // each over-long line was discarded, nothing else
        });
    }

    @Test
    void readlineThenReadCountsBytesFromTheNextLine() {
        // test_readline_nolimit_nowait + test_readline_read_byte_count
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            byte[] data = b("line1\nline2\nline3\n");
            r.feedData(java.util.Arrays.copyOfRange(data, 0, 6));
            r.feedData(java.util.Arrays.copyOfRange(data, 6, data.length));
            assertEquals("line1\n", s(r.readline()));
            assertEquals("line2\nl", s(r.read(7)));
            assertEquals("ine3\n", rest(r));
        });
    }

    @Test
    void readlineAfterTheSetExceptionWithAnEmptyBufferRaises() {
        // test_readline_exception and test_exception_waiter (readline woken by set_exception)
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("line\n"));
            assertEquals("line\n", s(r.readline()));
            Task<byte[]> waiting = Asyncio.createTask(r::readline);
            IllegalStateException boom = new IllegalStateException("boom");
            Asyncio.createTask(() -> r.setException(boom));
            assertSame(boom, assertThrows(IllegalStateException.class, waiting::await));
            assertSame(boom, assertThrows(IllegalStateException.class, r::readline));
        });
    }

    @Test
    void atEofFollowsReadline() {
        // test_at_eof
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            assertFalse(r.atEof());
            r.feedData(b("some data\n"));
            assertFalse(r.atEof());
            r.readline();
            assertFalse(r.atEof());
            r.feedData(b("some data\n"));
            r.feedEof();
            r.readline();
            assertTrue(r.atEof());
        });
    }

    // ------------------------------------------------------------------ readuntil

    @Test
    void readuntilLeavesWhatFollowsTheSeparator() {
        // test_readuntil_multi_chunks
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("lineAAA"));
            assertEquals("lineAAA", s(r.readuntil(b("AAA"))));
            r.feedData(b("lineAAAxxx"));
            assertEquals("lineAAA", s(r.readuntil(b("AAA"))));
            assertEquals("xxx", rest(r));
        });
    }

    @Test
    void readuntilFindsASeparatorSplitAcrossFeeds() {
        // test_readuntil_multi_chunks_1
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("QWEaa"));
            r.feedData(b("XYaa"));
            r.feedData(b("a"));
            assertEquals("QWEaaXYaaa", s(r.readuntil(b("aaa"))));
            r.feedData(b("QWEaa"));
            r.feedData(b("XYa"));
            r.feedData(b("aa"));
            assertEquals("QWEaaXYaaa", s(r.readuntil(b("aaa"))));
            r.feedData(b("aaa"));
            assertEquals("aaa", s(r.readuntil(b("aaa"))));
            r.feedData(b("Xaaa"));
            assertEquals("Xaaa", s(r.readuntil(b("aaa"))));
            r.feedData(b("XXX"));
            r.feedData(b("a"));
            r.feedData(b("a"));
            r.feedData(b("a"));
            assertEquals("XXXaaa", s(r.readuntil(b("aaa"))));
            assertEquals("", rest(r));
        });
    }

    @Test
    void readuntilWaitsWhileTheSeparatorArrivesByteByByte() {
        // test_readuntil_multi_chunks_1, with each byte of the separator in its own loop iteration
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.readuntil(b("aaa")));
            for (String piece : new String[] {"XXX", "a", "a"}) {
                r.feedData(b(piece));
                Asyncio.sleep(0);
                Asyncio.sleep(0);
                assertFalse(t.done());
            }
            r.feedData(b("ab"));
            assertEquals("XXXaaa", s(t.await()));
            assertEquals("b", rest(r));
        });
    }

    @Test
    void readuntilAtEofKeepsAPartialSeparatorInPartial() {
        // test_readuntil_eof: partial b'some dataAA', expected None, message "undefined expected bytes"
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("some dataAA"));
            r.feedEof();
            IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> r.readuntil(b("AAA")));
            assertEquals("some dataAA", s(e.partial()));
            assertTrue(e.getMessage().contains("undefined expected bytes"), e.getMessage());
            assertTrue(r.atEof());
        });
    }

    @Test
    void readuntilFindsACompleteSeparatorEvenAfterEof() {
        // streams.py readuntil: EOF is checked only after the buffer was searched
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.readuntil(b("\r\n")));
            Asyncio.getRunningLoop().callSoon(() -> {
                r.feedData(b("end\r"));
                r.feedData(b("\nmore"));
                r.feedEof();
            });
            assertEquals("end\r\n", s(t.await()));
            assertEquals("more", s(r.read(-1)));
        });
    }

    @Test
    void readuntilLimitOverrunSaysWhetherTheSeparatorWasFoundAndHowMuchWasConsumed() {
        // test_readuntil_limit_found_sep: limit=3; "not found" (consumed 9), then "is found" (consumed 9)
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(3);
            r.feedData(b("some dataAA"));
            LimitOverrunException notFound = assertThrows(LimitOverrunException.class, () -> r.readuntil(b("AAA")));
            assertTrue(notFound.getMessage().contains("not found"), notFound.getMessage());
            assertEquals(9, notFound.consumed());
            r.feedData(b("A"));
            LimitOverrunException found = assertThrows(LimitOverrunException.class, () -> r.readuntil(b("AAA")));
            assertTrue(found.getMessage().contains("is found"), found.getMessage());
            assertEquals(9, found.consumed());
            assertEquals("some dataAAA", rest(r));
        });
    }

    @Test
    void readuntilNotFoundOverrunIsStrict() {
        // readuntil: "not found" only once offset = buflen + 1 - seplen exceeds the limit
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(7);
            Task<byte[]> t = Asyncio.createTask(() -> r.readuntil(b("\n")));
            r.feedData(b("1234567"));
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertFalse(t.done(), "7 bytes without a separator are within the limit");
            r.feedData(b("8"));
            LimitOverrunException e = assertThrows(LimitOverrunException.class, t::await);
            assertEquals(8, e.consumed());
            assertEquals("12345678", rest(r));
        });
    }

    @Test
    void readuntilDefaultsToNewline() {
        // readuntil(separator=b'\n'): unlike readline, IncompleteReadError at EOF
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("a\nb"));
            r.feedEof();
            assertEquals("a\n", s(r.readuntil()));
            IncompleteReadException e = assertThrows(IncompleteReadException.class, r::readuntil);
            assertEquals("b", s(e.partial()));
        });
    }

    @Test
    void readuntilSeveralSeparatorsFirstEndWinsEvenIfLonger() {
        // 3.13 test_readuntil_multiple_separators: (b'\r', b'\n') and (b'DEF', b'BCDE') on b'ABCDEFG'
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("line 1\nline 2\r"));
            assertEquals("line 1\n", s(r.readuntil(b("\r"), b("\n"))));
            assertEquals("line 2\r", s(r.readuntil(b("\r"), b("\n"))));
            r.feedData(b("ABCDEFG"));
            assertEquals("ABCDE", s(r.readuntil(b("DEF"), b("BCDE"))));
            assertEquals("FG", rest(r));
        });
    }

    @Test
    void readuntilSeveralSeparatorsLimitCountsTheShortestMatch() {
        // 3.13 test_readuntil_multiple_separators_limit: limit=3, b'some dataA' with (b'A', b'ome dataA');
        // the docstring: "the shortest possible separator is considered to be the one that matched",
        // whatever order the separators are given in.
        Asyncio.run(() -> {
            for (byte[][] seps : new byte[][][] {{b("A"), b("ome dataA")}, {b("ome dataA"), b("A")}}) {
                StreamReader r = new StreamReader(3);
                r.feedData(b("some dataA"));
                LimitOverrunException e = assertThrows(LimitOverrunException.class, () -> r.readuntil(seps));
                assertTrue(e.getMessage().contains("is found"), e.getMessage());
                assertEquals(9, e.consumed());
                assertEquals("some dataA", rest(r));
            }
        });
    }

    @Test
    void readuntilSeveralSeparatorsOffsetNeverGoesNegative() {
        // 3.13 test_readuntil_multiple_separators_negative_offset
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("data"));
            Task<byte[]> t = Asyncio.createTask(() -> r.readuntil(b("A"), b("long sep")));
            Asyncio.getRunningLoop().callSoon(() -> r.feedData(b("Z")));
            Asyncio.getRunningLoop().callSoon(() -> r.feedData(b("Aaaa")));
            assertEquals("dataZA", s(t.await()));
            assertEquals("aaa", rest(r));
        });
    }

    @Test
    void readuntilSeparatorErrorsNameTheProblem() {
        // test_readuntil_separator: ValueError 'Separator should be ...'
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.readuntil(new byte[0]));
            assertTrue(e.getMessage().startsWith("Separator should be"), e.getMessage());
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> r.readuntil(new byte[0][]));
            assertTrue(none.getMessage().contains("at least one element"), none.getMessage());
        });
    }

    // ------------------------------------------------------------------ readexactly

    @Test
    void readexactlyZeroOrNegativeLeavesTheBufferAlone() {
        // test_readexactly_zero_or_less: b'' for 0; ValueError 'less than zero' for -1; buffer untouched
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("line1\n"));
            assertEquals(0, r.readexactly(0).length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.readexactly(-1));
            assertTrue(e.getMessage().contains("less than zero"), e.getMessage());
            assertEquals("line1\n", rest(r));
        });
    }

    @Test
    void readexactlyLeavesTheSurplusOfTheLastFeed() {
        // test_readexactly: n = 2 * len(DATA), three feeds of DATA in one callback
        Asyncio.run(() -> {
            String data = "line1\nline2\nline3\n";
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.readexactly(2 * data.length()));
            Asyncio.getRunningLoop().callSoon(() -> {
                r.feedData(b(data));
                r.feedData(b(data));
                r.feedData(b(data));
            });
            assertEquals(data + data, s(t.await()));
            assertEquals(data, rest(r));
        });
    }

    @Test
    void readexactlyEofMessageCountsTheBytes() {
        // test_readexactly_eof: '18 bytes read on a total of 36 expected bytes', buffer emptied
        Asyncio.run(() -> {
            String data = "line1\nline2\nline3\n";
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(() -> r.readexactly(36));
            Asyncio.getRunningLoop().callSoon(() -> {
                r.feedData(b(data));
                r.feedEof();
            });
            IncompleteReadException e = assertThrows(IncompleteReadException.class, t::await);
            assertEquals(data, s(e.partial()));
            assertEquals(36, e.expected());
            assertEquals("18 bytes read on a total of 36 expected bytes", e.getMessage());
            assertTrue(r.atEof());
        });
    }

    // ------------------------------------------------------------------ waiters and cancellation

    @Test
    void setExceptionAfterTheWaitingReadWasCancelledIsHarmless() {
        // test_exception_cancel: set_exception must not touch a cancelled waiter
        Asyncio.run(() -> {
            List<Object> reported = new ArrayList<>();
            Asyncio.getRunningLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            StreamReader r = new StreamReader();
            Task<byte[]> t = Asyncio.createTask(r::readline);
            Asyncio.sleep(0);
            t.cancel();
            Asyncio.sleep(0);
            r.setException(new IllegalStateException("message"));
            Asyncio.sleep(0);
            assertTrue(t.cancelled());
            assertFalse(r.toString().contains("waiter"), r.toString());
            assertEquals(List.of(), reported);
        });
    }

    @Test
    void cancelledReaduntilFreesTheWaiterAndKeepsTheBytes() {
        // cancellation of a waiting read: the next reader may wait (no "already waiting") and sees every byte
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            r.feedData(b("ab"));
            Task<byte[]> t = Asyncio.createTask(() -> r.readuntil(b("\n")));
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            Task<byte[]> next = Asyncio.createTask(r::readline);
            Asyncio.sleep(0);
            assertFalse(next.done());
            r.feedData(b("c\n"));
            assertEquals("abc\n", s(next.await()));
        });
    }

    @Test
    void theSecondConcurrentReaderFailsWithoutDisturbingTheFirst() {
        // _wait_for_data: RuntimeError "... called while another coroutine is already waiting ..." for each reader kind
        Asyncio.run(() -> {
            StreamReader r = new StreamReader();
            Task<byte[]> first = Asyncio.createTask(() -> r.readexactly(3));
            Asyncio.sleep(0);
            IllegalStateException e1 = assertThrows(IllegalStateException.class, () -> r.read(1));
            assertTrue(e1.getMessage().startsWith("read()"), e1.getMessage());
            IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> r.readuntil(b("x")));
            assertTrue(e2.getMessage().startsWith("readuntil()"), e2.getMessage());
            IllegalStateException e3 = assertThrows(IllegalStateException.class, () -> r.readexactly(1));
            assertTrue(e3.getMessage().startsWith("readexactly()"), e3.getMessage());
            r.feedData(b("abc"));
            assertArrayEquals(b("abc"), first.await());
        });
    }

    // ------------------------------------------------------------------ flow control (2 * limit)

    @Test
    void transportIsPausedOnlyPastTwiceTheLimit() {
        // feed_data: pause_reading once len(buffer) > 2 * limit, and only once
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(4);
            FakeTransport t = new FakeTransport();
            r.setTransport(t);
            r.feedData(b("12345678"));
            assertEquals(List.of(), t.calls, "exactly 2 * limit does not pause");
            r.feedData(b("9"));
            assertEquals(List.of("pause"), t.calls);
            r.feedData(b("0"));
            assertEquals(List.of("pause"), t.calls, "already paused");
            assertTrue(r.toString().contains("paused"), r.toString());
        });
    }

    @Test
    void readsResumeTheTransportOnceTheBufferIsBackWithinTheLimit() {
        // _maybe_resume_transport: resume when len(buffer) <= limit after a read
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(4);
            FakeTransport t = new FakeTransport();
            r.setTransport(t);
            r.feedData(b("0123456789"));
            assertEquals("01", s(r.read(2)));
            assertEquals(List.of("pause"), t.calls, "8 bytes left: still over the limit");
            assertEquals("2345", s(r.readexactly(4)));
            assertEquals(List.of("pause", "resume"), t.calls);
            assertEquals("6789", s(r.read(10)));
            assertEquals(List.of("pause", "resume"), t.calls);
        });
    }

    @Test
    void readlineOverLimitResumesTheTransport() {
        // readline's LimitOverrunError branch calls _maybe_resume_transport after discarding
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(2);
            FakeTransport t = new FakeTransport();
            r.setTransport(t);
            r.feedData(b("abcdefg"));
            assertEquals(List.of("pause"), t.calls);
            assertThrows(IllegalArgumentException.class, r::readline); // then raises ValueError
            assertEquals(List.of("pause", "resume"), t.calls);
            assertEquals("", s(r.read(0)));
        });
    }

    @Test
    void readuntilResumesThePausedTransportAfterTakingTheLine() {
        // readuntil ends with _maybe_resume_transport
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(3);
            FakeTransport t = new FakeTransport();
            r.setTransport(t);
            r.feedData(b("ab\ncdefg"));
            assertEquals(List.of("pause"), t.calls);
            assertEquals("ab\n", s(r.readuntil(b("\n"))));
            assertEquals(List.of("pause"), t.calls, "5 bytes left: still over the limit");
            assertEquals("cd", s(r.read(2)));
            assertEquals(List.of("pause", "resume"), t.calls);
        });
    }

    @Test
    void waitingWhilePausedResumesFirstSoReadexactlyBeyondTheBufferLimitCompletes() {
        // _wait_for_data: "Waiting for data while paused will make deadlock" (readexactly(n) with n > limit)
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(2);
            FakeTransport t = new FakeTransport();
            r.setTransport(t);
            Task<byte[]> big = Asyncio.createTask(() -> r.readexactly(10));
            Asyncio.sleep(0);
            r.feedData(b("12345"));
            assertEquals(List.of("pause"), t.calls);
            Asyncio.sleep(0);
            assertFalse(big.done());
            assertEquals(List.of("pause", "resume"), t.calls, "the waiting read resumed the transport");
            r.feedData(b("67890"));
            assertEquals("1234567890", s(big.await()));
        });
    }

    @Test
    void readAllFromAPausingTransportCompletes() {
        // test_read_all_from_pipe_reader: limit=1, so twice the limit is less than the data
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(1);
            FakeTransport t = new FakeTransport();
            r.setTransport(t);
            Task<byte[]> all = Asyncio.createTask(() -> r.read(-1));
            Asyncio.sleep(0);
            for (String piece : new String[] {"da", "ta", "!!"}) {
                assertTrue(t.reading, "a waiting read(-1) keeps the transport reading");
                r.feedData(b(piece));
                Asyncio.sleep(0);
            }
            r.feedEof();
            assertEquals("data!!", s(all.await()));
            assertTrue(t.reading);
        });
    }

    @Test
    void aTransportThatCannotPauseIsForgotten() {
        // feed_data: NotImplementedError from pause_reading -> forget the transport, buffer everything
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(1);
            FakeTransport t = new FakeTransport();
            t.pausable = false;
            r.setTransport(t);
            r.feedData(b("abc"));
            r.feedData(b("def"));
            assertEquals(List.of(), t.calls);
            assertFalse(r.toString().contains("paused"), r.toString());
            assertEquals("abcdef", rest(r));
        });
    }

    // ------------------------------------------------------------------ repr

    @Test
    void toStringShowsWhatReprShows() {
        // test___repr__*: bytes, eof, non-default limit, waiter, exception
        Asyncio.run(() -> {
            StreamReader r = new StreamReader(123);
            assertTrue(r.toString().contains("limit=123"), r.toString());
            assertFalse(new StreamReader().toString().contains("limit="));
            r.feedData(b("data"));
            assertTrue(r.toString().contains("4 bytes"), r.toString());
            r.read(4);
            Task<byte[]> t = Asyncio.createTask(() -> r.read(1));
            Asyncio.sleep(0);
            assertTrue(r.toString().contains("waiter"), r.toString());
            t.cancel();
            Asyncio.sleep(0);
            r.setException(new IllegalStateException("bad"));
            assertTrue(r.toString().contains("exception="), r.toString());
            StreamReader e = new StreamReader();
            e.feedEof();
            assertTrue(e.toString().contains("eof"), e.toString());
        });
    }
}
