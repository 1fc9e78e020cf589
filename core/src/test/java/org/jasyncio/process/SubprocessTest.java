package org.jasyncio.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.jasyncio.streams.IncompleteReadException;
import org.jasyncio.streams.LimitOverrunException;
import org.jasyncio.streams.StreamReader;
import org.jasyncio.net.Transport;
import org.junit.jupiter.api.Test;
import org.jasyncio.Asyncio;
import org.jasyncio.CancelledError;
import org.jasyncio.Task;

/** asyncio.create_subprocess_exec/shell and Process: test_asyncio/test_subprocess.py. */
@org.junit.jupiter.api.Timeout(60)
class SubprocessTest {

    /** How far a read pipe reads ahead of a paused protocol: one chunk of 64 KiB. */
    private static final int PIPE_READ_AHEAD = 64 * 1024;
    /** asyncio's default high-water mark of a write pipe (the low one is a quarter). */
    private static final int PIPE_HIGH_WATER = 64 * 1024;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void readsTheChildsOutputLineByLineAndItsExitCode() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("printf", "one\\ntwo\\nthree");
            assertTrue(p.pid() > 0);
            assertEquals("one\n", str(p.stdout().readline()));
            assertEquals("two\n", str(p.stdout().readline()));
            assertEquals("three", str(p.stdout().readline())); // partial last line at EOF
            assertEquals(0, p.stdout().readline().length);
            assertTrue(p.stdout().atEof());
            assertEquals(0, p.waitFor());
            assertEquals(0, p.returncode());
        });
    }

    @Test
    void theExitCodeOfTheShellCommand() {
        int code = Asyncio.run(() -> Subprocess.createSubprocessShell("exit 3").waitFor());
        assertEquals(3, code);
    }

    @Test
    void returncodeIsNullWhileTheChildRuns() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("sleep", "30");
            assertNull(p.returncode());
            p.kill();
            p.waitFor();
        });
    }

    @Test
    void communicateFeedsStdinAndCollectsStdoutAndStderrApart() {
        Subprocess.Output out = Asyncio.run(() -> Subprocess.createSubprocessShell("cat; echo oops >&2")
                .communicate(bytes("hello\n")));
        assertEquals("hello\n", str(out.stdout()));
        assertEquals("oops\n", str(out.stderr()));
    }

    @Test
    void largeOutputOnBothPipesNeitherDeadlocksNorBlocksTheLoop() {
        // 3 MB on stdout and 3 MB on stderr: a reader that drained one pipe before the other
        // would deadlock against a 64 KB pipe buffer.
        int size = 3_000_000;
        Asyncio.run(() -> {
            AtomicInteger ticks = new AtomicInteger();
            Task<Void> ticker = Asyncio.createTask(() -> {
                while (true) {
                    ticks.incrementAndGet();
                    Asyncio.sleep(0.001);
                }
            });
            Subprocess p = Subprocess.createSubprocessShell("head -c " + size + " /dev/zero; head -c " + size
                    + " /dev/zero >&2");
            Subprocess.Output out = p.communicate(null);
            ticker.cancel();
            assertEquals(size, out.stdout().length);
            assertEquals(size, out.stderr().length);
            assertEquals(0, p.waitFor());
            assertTrue(ticks.get() >= 2, "the loop looked blocked: " + ticks.get() + " ticks");
        });
    }

    @Test
    void unreadOutputStaysBoundedByFlowControl() {
        // asyncio: the StreamReader pauses its pipe transport over 2 * limit, and resumes it
        // once reads bring the buffer back under the limit.
        int size = 4_000_000;
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessShell("head -c " + size + " /dev/zero");
            Transport pipe = p.pipeTransport(1);
            // The child writes as fast as it can; nobody reads, so the reader pauses the pipe.
            for (int i = 0; i < 500 && pipe.isReading(); i++) {
                Asyncio.sleep(0.01);
            }
            assertFalse(pipe.isReading(), "reading is paused");
            Asyncio.sleep(0.05); // a chunk still in flight may land
            assertFalse(pipe.isReading(), "reading is still paused");
            // With bytes buffered, read(n) returns them all at once without waiting.
            long buffered = p.stdout().read(Integer.MAX_VALUE).length;
            assertTrue(buffered > 2L * StreamReader.DEFAULT_LIMIT, "paused with only " + buffered + " bytes");
            assertTrue(buffered <= 2L * StreamReader.DEFAULT_LIMIT + PIPE_READ_AHEAD, "buffered " + buffered
                    + " bytes");
            assertEquals(size - buffered, p.stdout().read(-1).length);
            assertTrue(pipe.isClosing(), "the read pipe closes at its end");
            assertEquals(0, p.waitFor());
        });
    }

    @Test
    void bigInputThroughCatComesBackWhole() {
        byte[] input = new byte[2_000_000];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) ('a' + i % 26);
        }
        byte[] echoed = Asyncio.run(() -> Subprocess.createSubprocessExec("cat").communicate(input).stdout());
        assertArrayEquals(input, echoed);
    }

    @Test
    void writeDrainAndCloseGiveTheChildEndOfFile() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("wc", "-l");
            for (int i = 0; i < 1000; i++) {
                p.stdin().write(bytes("line " + i + "\n"));
                p.stdin().drain();
            }
            assertTrue(p.stdin().canWriteEof());
            p.stdin().writeEof();
            assertTrue(p.stdin().isClosing());
            p.stdin().waitClosed();
            assertEquals("1000", str(p.stdout().read(-1)).trim());
            assertThrows(IllegalStateException.class, () -> p.stdin().write(bytes("late")));
            assertEquals(0, p.waitFor());
        });
    }

    @Test
    void aBrokenPipeSurfacesInDrain() {
        // A child alive but no longer reading its stdin: the write fails with EPIPE, drain()
        // or the next write raise, and wait_closed() raises the error that closed stdin
        // (asyncio: BrokenPipeError).
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessShell("exec 0<&-; exec sleep 30"); // closes its stdin
            Throwable seen = null;
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 1000 && seen == null; i++) {
                try {
                    p.stdin().write(chunk);
                    p.stdin().drain();
                } catch (Exception e) {
                    seen = e;
                }
                Asyncio.sleep(0.001);
            }
            assertTrue(seen instanceof IOException, "expected an IOException, got " + seen);
            assertTrue(Subprocess.brokenPipeOrReset((IOException) seen), seen.toString());
            assertTrue(p.stdin().isClosing());
            Throwable closed = null;
            try {
                p.stdin().waitClosed();
            } catch (Exception e) {
                closed = e;
            }
            assertTrue(closed instanceof IOException, "expected an IOException, got " + closed);
            assertTrue(closed.getMessage().contains("Broken pipe"), closed.toString());
            p.kill();
            p.waitFor();
        });
    }

    @Test
    void theStdinOfAChildThatExitedIsClosedForIt() {
        // asyncio's _UnixWritePipeTransport._read_ready: the child's end of the pipe is gone,
        // so the transport closes itself (nothing queued: connection_lost(None)); drain() then
        // raises ConnectionResetError('Connection lost'), and so does a write here.
        Asyncio.run(() -> {
            Subprocess noticed = Subprocess.createSubprocessExec("true"); // nobody waits for it
            for (int i = 0; i < 1000 && !noticed.stdin().isClosing(); i++) {
                Asyncio.sleep(0.005);
            }
            assertTrue(noticed.stdin().isClosing(), "stdin is closed once the child has exited");
            noticed.stdin().waitClosed();
            Subprocess p = Subprocess.createSubprocessExec("true");
            assertEquals(0, p.waitFor());
            assertTrue(p.stdin().isClosing(), "stdin is closed when waitFor() returns");
            p.stdin().waitClosed(); // closed cleanly: nothing was lost
            org.jasyncio.net.ConnectionResetException w = assertThrows(org.jasyncio.net.ConnectionResetException.class,
                    () -> p.stdin().write(bytes("late")));
            assertTrue(w.getMessage().contains("the child has exited"), w.getMessage());
            assertThrows(org.jasyncio.net.ConnectionResetException.class, () -> p.stdin().drain());
            assertEquals(0, p.stdout().read(-1).length);
            // communicate() ignores it, as asyncio's _feed_stdin ignores ConnectionResetError.
            assertArrayEquals(new byte[0], p.communicate(bytes("ignored")).stdout());
        });
    }

    @Test
    void drainWaitsForTheChildToTakeWhatIsOverTheHighWaterMark() {
        // asyncio's pipe transport: high-water 64 KiB, low-water 16 KiB; drain() suspends
        // until the buffer is back at the low mark.
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessShell("sleep 0.05; cat > /dev/null");
            Transport pipe = p.stdin().transport();
            assertArrayEquals(new int[] {PIPE_HIGH_WATER / 4, PIPE_HIGH_WATER},
                    pipe.getWriteBufferLimits());
            p.stdin().write(new byte[1_000_000]);
            assertEquals(1_000_000, pipe.getWriteBufferSize());
            p.stdin().drain();
            assertTrue(pipe.getWriteBufferSize() <= PIPE_HIGH_WATER / 4,
                    "drain returned with " + pipe.getWriteBufferSize() + " bytes queued");
            p.stdin().close();
            p.stdin().waitClosed();
            assertEquals(0, pipe.getWriteBufferSize());
            assertEquals(0, p.waitFor());
        });
    }

    @Test
    void pipesAreOneWay() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("cat");
            Transport out = p.pipeTransport(1);
            assertThrows(UnsupportedOperationException.class, () -> out.write(bytes("x")));
            assertFalse(out.canWriteEof());
            assertThrows(UnsupportedOperationException.class, () -> p.stdin().transport().pauseReading());
            assertFalse(p.stdin().transport().isReading());
            p.stdin().close();
            assertEquals(0, p.stdout().read(-1).length);
            assertEquals(0, p.waitFor());
        });
    }

    @Test
    void communicateIgnoresAChildThatStopsReading() {
        Subprocess.Output out = Asyncio.run(() -> Subprocess.createSubprocessShell("exec 0<&-; echo done")
                .communicate(new byte[1_000_000]));
        assertEquals("done\n", str(out.stdout()));
    }

    @Test
    void terminateStopsTheChild() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("sleep", "30");
            p.terminate();
            int code = p.waitFor();
            assertEquals(128 + 15, code); // Java's convention; asyncio reports -15
        });
    }

    @Test
    void killStopsTheChild() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("sleep", "30");
            p.kill();
            assertEquals(128 + 9, p.waitFor());
        });
    }

    // ---------------------------------------------------------------- close() and try-with-resources

    @Test
    void tryWithResourcesKillsAChildStillRunningAtTheEndOfTheBlock() {
        // asyncio's SubprocessTransport.close(): closes the pipes, kills a child still running.
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("sleep", "30");
            try (p) {
                assertNull(p.returncode());
            }
            assertEquals(128 + 9, p.waitFor());
        });
    }

    @Test
    void closeClosesThePipesWithoutWaitingAndKeepsWhatWasRead() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessShell("printf hello; exec sleep 30");
            assertEquals("hello", str(p.stdout().readexactly(5)));
            p.close();
            assertNull(p.returncode(), "close() does not wait for the child");
            assertTrue(p.stdin().isClosing());
            assertThrows(IllegalStateException.class, () -> p.stdin().write(bytes("late")));
            assertTrue(p.pipeTransport(1).isClosing());
            assertTrue(p.pipeTransport(2).isClosing());
            assertEquals(0, p.stdout().read(-1).length, "end of file after the closed pipe");
            assertTrue(p.stdout().atEof());
            assertEquals(128 + 9, p.waitFor());
        });
    }

    @Test
    void closingAChildThatExitedKeepsItsExitCodeAndClosingAgainDoesNothing() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("sh", "-c", "exit 3");
            assertEquals(3, p.waitFor());
            p.close();
            p.close();
            assertEquals(3, p.returncode());
            assertEquals(3, p.waitFor());
        });
    }

    @Test
    void closingOnceTheLoopIsClosedDoesNothing() {
        Subprocess p = Asyncio.run(() -> Subprocess.createSubprocessExec("true"));
        p.close(); // the loop's close already dealt with it: no IllegalStateException
        p.close();
    }

    @Test
    void closeFromAnotherThreadIsRefusedWhileTheLoopRuns() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("sleep", "30");
            Throwable thrown = Asyncio.toThread(() -> {
                try {
                    p.close();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            }).await();
            assertTrue(thrown instanceof IllegalStateException
                    && thrown.getMessage().contains("closed on its loop's thread"), String.valueOf(thrown));
            assertNull(p.returncode(), "the refused close() did nothing");
            p.close();
            assertEquals(128 + 9, p.waitFor());
        });
    }

    @Test
    void aClosedChildIsNotReportedWhenTheLoopClosesEvenBeforeItsExitIsSeen() throws Exception {
        // Its close() killed it and closed its pipes: nothing is left unclosed.
        java.util.List<org.jasyncio.ExceptionContext> reported = new java.util.ArrayList<>();
        org.jasyncio.EventLoop loop = new org.jasyncio.EventLoop();
        loop.setExceptionHandler((l, c) -> reported.add(c));
        long pid = loop.runUntilComplete(() -> {
            Subprocess p = Subprocess.createSubprocessExec("sleep", "30");
            p.close();
            return p.pid();
        });
        loop.close();
        java.util.Optional<ProcessHandle> child = ProcessHandle.of(pid);
        if (child.isPresent()) {
            child.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertEquals(java.util.List.of(), reported.stream().map(org.jasyncio.ExceptionContext::message).toList());
    }

    @Test
    void waitingDoesNotBlockTheLoop() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("sleep", "0.2");
            AtomicInteger ticks = new AtomicInteger();
            Task<Void> ticker = Asyncio.createTask(() -> {
                while (true) {
                    ticks.incrementAndGet();
                    Asyncio.sleep(0.01);
                }
            });
            assertEquals(0, p.waitFor());
            ticker.cancel();
            assertTrue(ticks.get() >= 3, "only " + ticks.get() + " ticks while the child ran");
        });
    }

    @Test
    void cancellingAWaiterLeavesTheChildRunning() {
        // asyncio: cancelling proc.wait() does not kill the process.
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("sleep", "30");
            Task<Integer> waiter = Asyncio.createTask(p::waitFor);
            Asyncio.sleep(0.01);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertNull(p.returncode());
            p.kill();
            assertEquals(128 + 9, p.waitFor()); // a later wait still works
        });
    }

    @Test
    void closingAReadPipeEndsItsReaderAndTheWritingChildGetsABrokenPipe() {
        // asyncio: closing a pipe transport calls connection_lost, which feeds EOF to the reader.
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("yes");
            assertEquals("y\ny\n", str(p.stdout().readexactly(4)));
            p.pipeTransport(1).close();
            assertTrue(p.pipeTransport(1).isClosing());
            p.stdout().read(-1); // what was buffered, then EOF
            assertTrue(p.stdout().atEof());
            assertEquals(128 + 13, p.waitFor()); // SIGPIPE
        });
    }

    @Test
    void readExactlyAndReadUntil() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("printf", "abc--def--gh");
            StreamReader r = p.stdout();
            assertEquals("ab", str(r.readexactly(2)));
            assertEquals("c--", str(r.readuntil(bytes("--"))));
            assertEquals("def--", str(r.readuntil(bytes("--"))));
            IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> r.readexactly(5));
            assertEquals("gh", str(e.partial()));
            assertEquals(5, e.expected());
            assertEquals(0, r.read(10).length);
            assertTrue(r.atEof());
            p.waitFor();
        });
    }

    @Test
    void readuntilOverTheLimitThrowsAndKeepsTheData() {
        int size = StreamReader.DEFAULT_LIMIT * 2;
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessShell("head -c " + size + " /dev/zero; echo; echo next");
            StreamReader r = p.stdout();
            assertThrows(LimitOverrunException.class, () -> r.readuntil(bytes("\n")));
            byte[] all = r.read(-1); // nothing was consumed
            assertEquals(size + "\nnext\n".length(), all.length);
            assertTrue(str(all).endsWith("\nnext\n"));
            p.waitFor();
        });
    }

    @Test
    void readlineOverTheLimitThrowsAndDiscardsTheData() {
        int size = StreamReader.DEFAULT_LIMIT * 2;
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessShell("head -c " + size + " /dev/zero; echo; echo next");
            StreamReader r = p.stdout();
            // asyncio's readline raises ValueError (jasyncio's IllegalArgumentException).
            assertThrows(IllegalArgumentException.class, r::readline);
            // What readline dropped depends on how much had arrived (the whole over-long line if
            // its newline was there, else the buffered part): either way "next" survives.
            byte[] rest = r.read(-1);
            assertTrue(str(rest).endsWith("next\n"));
            assertTrue(rest.length < size, "readline discarded the over-long data");
            p.waitFor();
        });
    }

    @Test
    void twoTasksCannotWaitOnOnePipe() {
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec("sleep", "30");
            Task<byte[]> first = Asyncio.createTask(() -> p.stdout().read(10));
            Asyncio.sleep(0.01);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.stdout().read(10));
            assertTrue(e.getMessage().contains("already waiting"), e.getMessage());
            first.cancel();
            p.kill();
            p.waitFor();
        });
    }

    /**
     * A child that has exited with 0 and printed {@code out}, whose stdin fails every write with
     * {@code stdinError}: the errors a real pipe gives only by chance, on demand.
     */
    private static final class FakeChild extends Process {
        private final java.io.InputStream out;
        private final java.io.OutputStream in;

        FakeChild(String out, IOException stdinError) {
            this.out = new java.io.ByteArrayInputStream(bytes(out));
            this.in = new java.io.OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw stdinError;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    throw stdinError;
                }
            };
        }

        @Override
        public java.io.OutputStream getOutputStream() {
            return in;
        }

        @Override
        public java.io.InputStream getInputStream() {
            return out;
        }

        @Override
        public java.io.InputStream getErrorStream() {
            return java.io.InputStream.nullInputStream();
        }

        @Override
        public int waitFor() {
            return 0;
        }

        @Override
        public int exitValue() {
            return 0;
        }

        @Override
        public boolean isAlive() {
            return false;
        }

        @Override
        public long pid() {
            return 4242;
        }

        @Override
        public void destroy() {
        }
    }

    /** communicate() with more than the 64 KiB high-water mark: drain() waits for the writer. */
    private static Subprocess.Output communicateWithFailingStdin(IOException stdinError) throws Exception {
        return Asyncio.run(() -> new Subprocess(Asyncio.getRunningLoop(), new FakeChild("out\n", stdinError),
                new ProcessBuilder("fake")).communicate(new byte[4 * PIPE_HIGH_WATER]));
    }

    @Test
    void communicateThrowsAStdinErrorOtherThanABrokenPipeOrAReset() {
        // asyncio's Process._feed_stdin: "except (BrokenPipeError, ConnectionResetError)": any
        // other error of write() or drain() propagates out of communicate().
        IOException eio = new IOException("Input/output error");
        Exception e = assertThrows(Exception.class, () -> communicateWithFailingStdin(eio));
        assertSame(eio, e);
    }

    @Test
    void communicateIgnoresABrokenPipeAndAResetOfStdin() throws Exception {
        // asyncio's Process._feed_stdin ignores BrokenPipeError and ConnectionResetError
        // (test_subprocess.py test_communicate_ignore_broken_pipe); the output is still read.
        assertEquals("out\n", str(communicateWithFailingStdin(new IOException("Broken pipe")).stdout()));
        assertEquals("out\n", str(communicateWithFailingStdin(
                new org.jasyncio.net.ConnectionResetException("Connection reset by peer")).stdout()));
        assertTrue(Subprocess.brokenPipeOrReset(new java.net.SocketException("Connection reset")));
        assertFalse(Subprocess.brokenPipeOrReset(new IOException("Stream closed")));
    }

    @Test
    void killingAChildEndsItsPipesAtEofWithWhatItWroteAndNoError() {
        // asyncio's Process.kill() only sends the signal: the pipes end when the child's end
        // closes, with what it wrote still readable, and nothing is reported.
        Asyncio.run(() -> {
            java.util.List<org.jasyncio.ExceptionContext> reported = new java.util.ArrayList<>();
            Asyncio.getRunningLoop().setExceptionHandler((l, c) -> reported.add(c));
            Subprocess p = Subprocess.createSubprocessShell("echo before; echo after; exec sleep 30");
            assertEquals("before\n", str(p.stdout().readline()));
            Asyncio.sleep(0.05); // "after" is in the pipe
            p.kill();
            assertEquals(128 + 9, p.waitFor());
            assertEquals("after\n", str(p.stdout().read(-1)));
            assertTrue(p.stdout().atEof());
            assertEquals(0, p.stderr().read(-1).length);
            Asyncio.sleep(0.05);
            assertEquals(java.util.List.of(), reported);
        });
    }

    @Test
    void aChildStillRunningWhenItsLoopClosesIsKilledAndReportedWithItsPipes() throws Exception {
        // asyncio's BaseSubprocessTransport.__del__: "unclosed transport <...>", then close(),
        // which closes the pipes and kills a child still running; a child that has exited and
        // whose pipes are closed is not reported. The loop is closed as EventLoop.close() is to
        // close it (EventLoop.close() runs its LoopLocal close action).
        java.util.List<org.jasyncio.ExceptionContext> reported = new java.util.ArrayList<>();
        org.jasyncio.EventLoop loop = new org.jasyncio.EventLoop();
        loop.setExceptionHandler((l, c) -> reported.add(c));
        long pid = loop.runUntilComplete(() -> {
            Subprocess done = Subprocess.createSubprocessExec("true"); // its stdin closed for it
            assertEquals(0, done.waitFor());
            assertTrue(done.stdin().isClosing(), "stdin is closed once the child has exited");
            done.stdin().waitClosed();
            done.stdout().read(-1);
            done.stderr().read(-1);
            assertEquals(0, done.waitFor());
            Asyncio.sleep(0); // the pipes' connectionLost, scheduled after their EOF
            return Subprocess.createSubprocessExec("sleep", "30").pid();
        });
        loop.close();
        java.util.Optional<ProcessHandle> child = ProcessHandle.of(pid);
        if (child.isPresent()) {
            child.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        java.util.List<String> messages = reported.stream().map(org.jasyncio.ExceptionContext::message).sorted().toList();
        assertEquals(java.util.List.of("unclosed transport PipeReadTransport[reading, delivered=0]",
                "unclosed transport PipeReadTransport[reading, delivered=0]",
                "unclosed transport PipeWriteTransport[open, buffered=0]",
                "unclosed transport Subprocess[pid=" + pid + " running]"), messages);
    }

    @Test
    void inDebugModeAChildLeftRunningIsReportedWithWhereItWasStarted() throws Exception {
        java.util.List<org.jasyncio.ExceptionContext> reported = new java.util.ArrayList<>();
        org.jasyncio.EventLoop loop = new org.jasyncio.EventLoop();
        loop.setDebug(true);
        loop.setExceptionHandler((l, c) -> reported.add(c));
        int[] line = new int[1];
        long pid = loop.runUntilComplete(() -> {
            line[0] = new Throwable().getStackTrace()[0].getLineNumber() + 1;
            return Subprocess.createSubprocessExec("sleep", "30").pid();
        });
        loop.close();
        java.util.Optional<ProcessHandle> child = ProcessHandle.of(pid);
        if (child.isPresent()) {
            child.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        java.util.List<String> children = reported.stream().map(org.jasyncio.ExceptionContext::message)
                .filter(m -> m.startsWith("unclosed transport Subprocess[")).toList();
        assertEquals(1, children.size(), children.toString());
        String prefix = "unclosed transport Subprocess[pid=" + pid + " running] created at "
                + "org.jasyncio.process.SubprocessTest.lambda$inDebugModeAChildLeftRunningIsReportedWithWhereItWasStarted$";
        assertTrue(children.get(0).startsWith(prefix) && children.get(0).endsWith("(SubprocessTest.java:" + line[0] + ")"),
                children.toString());
    }

    @Test
    void streamsThatAreNotPipesAreNull() {
        Asyncio.run(() -> {
            ProcessBuilder pb = new ProcessBuilder("true").redirectOutput(Redirect.DISCARD)
                    .redirectInput(Redirect.INHERIT).redirectErrorStream(true);
            Subprocess p = Subprocess.createSubprocess(pb);
            assertNull(p.stdin());
            assertNull(p.stdout());
            assertNull(p.stderr());
            assertEquals(0, p.waitFor());
            assertThrows(IllegalStateException.class, () -> p.communicate(bytes("x")));
        });
    }

    @Test
    void aMissingProgramThrowsTheIOExceptionUnchanged() {
        Throwable seen = Asyncio.run(() -> {
            try {
                Subprocess.createSubprocessExec("/no/such/program-jasyncio");
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertTrue(seen instanceof IOException, "got " + seen);
    }

    @Test
    void createSubprocessOutsideATaskFailsAtOnce() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Subprocess.createSubprocessExec("true"));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }
}
