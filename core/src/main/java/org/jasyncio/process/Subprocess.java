package org.jasyncio.process;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import org.jasyncio.net.ConnectionResetException;
import org.jasyncio.net.Network;
import org.jasyncio.streams.StreamReader;
import org.jasyncio.streams.StreamReaderProtocol;
import org.jasyncio.streams.StreamWriter;
import org.jasyncio.net.Transport;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.jasyncio.CancelledError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A child process started by {@link #createSubprocessExec}, {@link #createSubprocessShell} or
 * {@link #createSubprocess}: asyncio's
 * {@code asyncio.subprocess.Process}, named {@code Subprocess} so as not to hide
 * {@code java.lang.Process}. As in asyncio, its pipes are the streams of the networking API:
 * stdin is a {@link StreamWriter}, stdout and stderr are {@link StreamReader}s (with the
 * default limit of 64 KiB), each over a pipe transport that never blocks the loop; waiting for
 * exit suspends only the calling task.
 *
 * <pre>{@code
 * Subprocess p = Subprocess.createSubprocessExec("sh", "-c", "tr a-z A-Z");
 * Subprocess.Output out = p.communicate("hello\n".getBytes());
 * System.out.print(new String(out.stdout()));   // HELLO
 * int code = p.waitFor();                        // 0
 * }</pre>
 *
 * <p>Flow control works as on a socket: {@code stdin().drain()} suspends while more than 64
 * KiB wait to be written, and a reader that falls behind pauses its pipe (the child then
 * blocks writing) once it buffers twice its limit. A child that closes its stdin makes
 * {@code write} or {@code drain} throw an {@link java.io.IOException}, which they declare;
 * an over-long line makes {@code readuntil} throw
 * {@link org.jasyncio.streams.LimitOverrunException} and {@code readline} an
 * {@link IllegalArgumentException} (asyncio's {@code ValueError}), a short end of output
 * {@link org.jasyncio.streams.IncompleteReadException}, as on a connection.
 *
 * <p>Use it on the loop that started it. Cancelling a task that waits for the child does not
 * stop the child (as in asyncio): call {@link #terminate()} or {@link #kill()}. A child still
 * running when its loop closes is killed then, and reported to the loop's exception handler
 * as "unclosed transport" (asyncio kills it when its transport is collected, with that
 * {@code ResourceWarning}); its pipes still open are closed and reported likewise. Exit codes
 * follow Java: a child killed by signal {@code N} exits with {@code 128 + N} (asyncio says
 * {@code -N}).
 *
 * <p>It is {@link AutoCloseable}: at the end of
 * {@code try (Subprocess p = Subprocess.createSubprocessExec(...)) { ... }} its pipes are closed
 * and a child still running is killed ({@link #close()}), so no child outlives the block; read
 * its output and {@link #waitFor()} it inside the block to let it finish.
 */
public final class Subprocess implements AutoCloseable {
    /* Implementation overview:
     * The child starts on the default executor (ProcessBuilder.start() blocks); its pipes become
     * the networking layer's pipe transports: stdin a PipeWriteTransport over StdinPipe, which
     * turns the JDK's "Stream closed" after the child's exit into asyncio's EPIPE, stdout and
     * stderr PipeReadTransports feeding StreamReaders. The child is stopped through its
     * ProcessHandle (terminate, kill): Process.destroy() would close the pipes under their
     * readers and lose what the child wrote. When the child exits (Process.onExit(), on a JDK
     * thread, handed to the loop), stdin is closed for it if nothing is queued (childExited, as
     * asyncio's write pipe transport sees the other end go), and the StdinWriter then reports a
     * lost connection rather than a write after close. RunningChildren holds the child until it
     * exits, so that the loop's close kills one still running.
     */

    private final EventLoop loop;
    private final Process process;
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    private final Transport[] pipes = new Transport[3];
    /** The child exited with nothing queued for its stdin, which {@link #childExited()} closed. */
    private boolean stdinClosedByExit;
    /** {@link #close()} was called. */
    private boolean closed;

    /**
     * If the child cannot be started, the {@code java.io.IOException} is thrown unchanged
     * (undeclared).
     *
     * Starts {@code program} with {@code args} (no shell), with stdin, stdout and stderr as
     * pipes, and returns it once started; the start itself runs off the loop. asyncio's
     * {@code asyncio.create_subprocess_exec(program, *args, stdin=PIPE, stdout=PIPE,
     * stderr=PIPE)}.
     *
     * @param program the program (looked up on the PATH)
     * @param args    its arguments
     * @return the running child
     * @throws NullPointerException if {@code program}, {@code args} or one of the arguments is null
     * @throws IllegalStateException outside a task
     * @throws IOException if the program cannot be started (not found, not executable)
     */
    public static Subprocess createSubprocessExec(String program, String... args) throws IOException {
        java.util.Objects.requireNonNull(program, "program");
        java.util.Objects.requireNonNull(args, "args");
        for (String a : args) {
            java.util.Objects.requireNonNull(a, "args");
        }
        List<String> command = new ArrayList<>(args.length + 1);
        command.add(program);
        command.addAll(Arrays.asList(args));
        return createSubprocess(new ProcessBuilder(command));
    }

    /**
     * Runs {@code command} through the shell ({@code /bin/sh -c}, or {@code cmd.exe /c} on
     * Windows) with piped stdin, stdout and stderr. asyncio's
     * {@code asyncio.create_subprocess_shell(cmd, ...)}; the same warning applies: never pass
     * untrusted input to a shell.
     *
     * @param command the shell command line
     * @return the running child
     * @throws NullPointerException if {@code command} is null
     * @throws IllegalStateException outside a task
     * @throws IOException if the shell cannot be started
     */
    public static Subprocess createSubprocessShell(String command) throws IOException {
        java.util.Objects.requireNonNull(command, "command");
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        return createSubprocess(windows ? new ProcessBuilder("cmd.exe", "/c", command)
                : new ProcessBuilder("/bin/sh", "-c", command));
    }

    /**
     * Starts the child {@code builder} describes; each stream whose redirect is
     * {@code Redirect.PIPE} (the {@code ProcessBuilder} default) becomes a stream of the
     * returned {@link Subprocess}, others (inherit, a file, discard) are null there. The start
     * runs on the default executor, so it never blocks the loop. asyncio's
     * {@code create_subprocess_exec} with its {@code stdin=}/{@code stdout=}/{@code stderr=},
     * {@code cwd=} and {@code env=} arguments.
     *
     * @param builder the command, directory, environment and redirects
     * @return the running child
     * @throws NullPointerException if {@code builder} is null
     * @throws IllegalStateException outside a task
     * @throws IOException if the child cannot be started ({@link ProcessBuilder#start()}'s
     *                     failures, thrown unchanged)
     */
    public static Subprocess createSubprocess(ProcessBuilder builder) throws IOException {
        if (builder == null) {
            throw new NullPointerException("builder");
        }
        if (Asyncio.currentTask() == null) {
            throw new IllegalStateException("createSubprocess() was called outside a task: it waits for the child"
                    + " to start, so call it inside a task, e.g. under Asyncio.run(...) or Asyncio.createTask(...)");
        }
        EventLoop loop = Asyncio.getRunningLoop();
        // If this task is cancelled while the child starts, the child must not outlive it.
        java.util.concurrent.atomic.AtomicReference<Object> started = new java.util.concurrent.atomic.AtomicReference<>();
        Future<Process> starting = loop.runInExecutor(null, () -> {
            Process p = builder.start();
            if (!started.compareAndSet(null, p)) {
                p.destroyForcibly();
            }
            return p;
        });
        try {
            return new Subprocess(loop, starting.await(), builder);
        } catch (CancelledError c) {
            if (started.getAndSet(c) instanceof Process orphan) {
                orphan.destroyForcibly();
            }
            throw c;
        }
    }


    Subprocess(EventLoop loop, Process process, ProcessBuilder builder) {
        this.loop = loop;
        this.process = process;
        RunningChildren.of(loop).add(this, process);
        if (builder.redirectInput() == Redirect.PIPE) {
            // StreamWriter drains through a StreamReaderProtocol; stdin has nothing to read, so
            // the reader of its protocol stays empty and unseen (asyncio's one
            // SubprocessStreamProtocol plays this part for all three pipes).
            StreamReaderProtocol protocol = new StreamReaderProtocol(new StreamReader(StreamReader.DEFAULT_LIMIT, loop),
                    loop);
            pipes[0] = Network.connectWritePipe(() -> protocol, new StdinPipe(process)).transport();
            this.stdin = new StdinWriter(pipes[0], protocol);
        } else {
            this.stdin = null;
        }
        this.stdout = builder.redirectOutput() == Redirect.PIPE
                ? connectReader(process.getInputStream(), 1) : null;
        this.stderr = builder.redirectError() == Redirect.PIPE && !builder.redirectErrorStream()
                ? connectReader(process.getErrorStream(), 2) : null;
        if (stdin != null) {
            process.onExit().thenRun(() -> {
                try {
                    loop.callSoonThreadsafe(this::childExited);
                } catch (IllegalStateException loopClosed) {
                    // nobody writes any more
                }
            });
        }
    }

    /**
     * The child has exited, so the read end of its stdin is gone (the JDK closes the pipe
     * then): asyncio's write pipe transport sees it ({@code _read_ready}, "pipe closed by
     * peer") and closes itself, with {@code BrokenPipeError} if bytes were still queued. Here,
     * with nothing queued, stdin is closed ({@code connectionLost(null)}) and later writes
     * throw {@link ConnectionResetException}; with bytes queued, the writer's next write fails
     * with a broken pipe, which ends the pipe with it.
     */
    private void childExited() {
        Transport t = pipes[0];
        if (!t.isClosing() && t.getWriteBufferSize() == 0) {
            stdinClosedByExit = true;
            t.close();
        }
    }

    /** The loop that started the child. */
    EventLoop loop() {
        return loop;
    }

    private void checkOnLoop() {
        checkOnLoop("waited on by one of its tasks");
    }

    private void checkOnLoop(String what) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException(this + " belongs to " + loop
                    + " and can only be " + what + "; from another thread, use"
                    + " loop.runCoroutineThreadsafe(...)");
        }
    }

    private StreamReader connectReader(InputStream in, int fd) {
        StreamReader reader = new StreamReader(StreamReader.DEFAULT_LIMIT, loop);
        pipes[fd] = Network.connectReadPipe(() -> new StreamReaderProtocol(reader, loop), in).transport();
        return reader;
    }

    /**
     * The transport of pipe {@code fd} (0 stdin, 1 stdout, 2 stderr), or null if that stream is
     * not a pipe. asyncio's {@code SubprocessTransport.get_pipe_transport(fd)}.
     */
    Transport pipeTransport(int fd) {
        return pipes[fd];
    }

    /**
     * The operating system's id of the child process. asyncio's {@code Process.pid}.
     *
     * @return the child's process id
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The child's standard input, or null if it was not a pipe: a stream writer over the pipe
     * ({@code write}, {@code drain}, {@code close} or {@code writeEof} to give the child end of
     * file, {@code waitClosed}). When the child exits, its stdin is closed for it if nothing is
     * queued (later writes throw {@link ConnectionResetException}), else the queued bytes end
     * it with a broken pipe, as asyncio's pipe transport notices the child's end go.
     * asyncio's {@code Process.stdin}.
     *
     * @return the writer or null
     */
    public StreamWriter stdin() {
        return stdin;
    }

    /**
     * The child's standard output, or null if it was not a pipe: a stream reader fed from the
     * pipe. asyncio's {@code Process.stdout}.
     *
     * @return the reader or null
     */
    public StreamReader stdout() {
        return stdout;
    }

    /**
     * The child's standard error, or null if it was not a pipe (or merged into stdout).
     * asyncio's {@code Process.stderr}.
     *
     * @return the reader or null
     */
    public StreamReader stderr() {
        return stderr;
    }

    /**
     * The child's exit code once it has exited (a child killed by signal N: 128 + N), else
     * null. asyncio's {@code Process.returncode}.
     *
     * @return the exit code, or null while the child runs
     */
    public Integer returncode() {
        return process.isAlive() ? null : process.exitValue();
    }

    /**
     * Suspends the current task until the child exits, and returns its exit code. The loop
     * keeps running. asyncio's {@code Process.wait()} ({@code wait} is taken by
     * {@code Object}). As in asyncio, a child that fills a pipe nobody reads never exits:
     * read its output, or use {@link #communicate}. When it returns, the child's stdin is
     * closed if nothing was queued for it (see {@link #stdin()}).
     *
     * @return the exit code
     * @throws CancelledError if the waiting task is cancelled (the child keeps running)
     * @throws IllegalStateException if the caller is not on the child's loop
     */
    public int waitFor() {
        checkOnLoop();
        int code = process.isAlive()
                // A fresh onExit() stage per call: cancelling one waiter cancels only its own stage.
                ? Future.fromCompletionStage(process.onExit()).await().exitValue()
                : process.exitValue();
        if (pipes[0] != null) {
            childExited(); // at once, not only when the exit reaches the loop by its own way
        }
        return code;
    }

    /**
     * Sends {@code input} (if not null) to the child's stdin and closes it, reads stdout and
     * stderr to their end concurrently, and waits for the child to exit. A child that stops
     * reading early is not an error: as asyncio ignores {@code BrokenPipeError} and
     * {@code ConnectionResetError} while feeding stdin, a broken pipe or a
     * {@link ConnectionResetException} is ignored here; any other error of stdin is thrown.
     * asyncio's {@code Process.communicate(input)}. Call it from a task on the child's loop.
     *
     * @param input the bytes for stdin, or null
     * @return what the child wrote; a field is null where that stream is not a pipe
     * @throws IllegalStateException if {@code input} is given but stdin is not a pipe, or the
     *                               caller is not on the child's loop
     * @throws IOException if writing stdin fails other than by a broken pipe or a reset (an
     *                     {@code Input/output error}, say), or reading stdout or stderr fails;
     *                     the readers are cancelled then
     */
    public Output communicate(byte[] input) throws IOException {
        checkOnLoop();
        if (input != null && stdin == null) {
            throw new IllegalStateException("communicate(input) needs stdin to be a pipe");
        }
        Task<byte[]> out = stdout != null ? loop.createTask(() -> stdout.read(-1)) : null;
        Task<byte[]> err = stderr != null ? loop.createTask(() -> stderr.read(-1)) : null;
        try {
            if (stdin != null) {
                feed(input);
            }
            byte[] o = out != null ? out.await() : null;
            byte[] e = err != null ? err.await() : null;
            waitFor();
            return new Output(o, e);
        } finally {
            // If this task was cancelled, stop the readers too (asyncio's gather does).
            if (out != null) {
                out.cancel();
            }
            if (err != null) {
                err.cancel();
            }
        }
    }

    /** asyncio's {@code _feed_stdin}: write, drain, close; only a broken pipe or a reset is ignored. */
    private void feed(byte[] input) throws IOException {
        try {
            if (input != null) {
                stdin.write(input);
            }
            stdin.drain();
        } catch (IOException e) {
            if (!brokenPipeOrReset(e)) {
                throw e;
            }
            // The child does not want more input: asyncio ignores BrokenPipeError and
            // ConnectionResetError here, and only those.
        }
        stdin.close();
    }

    /**
     * Whether {@code e} is what asyncio calls {@code BrokenPipeError} (EPIPE: the JDK says
     * "Broken pipe") or {@code ConnectionResetError} (a {@link ConnectionResetException}, which
     * the streams also throw once the pipe is lost, or the JDK's "Connection reset").
     */
    static boolean brokenPipeOrReset(IOException e) {
        if (e instanceof ConnectionResetException) {
            return true;
        }
        String m = e.getMessage();
        return m != null && (m.contains("Broken pipe") || m.contains("Connection reset"));
    }

    /**
     * Asks the child to stop (SIGTERM on POSIX); its pipes stay open, so what it wrote before
     * stopping can still be read, up to end of file. asyncio's {@code Process.terminate()}.
     * Safe from any thread.
     */
    public void terminate() {
        // Through the handle: Process.destroy() would also close the pipes under their readers.
        process.toHandle().destroy();
    }

    /**
     * Stops the child at once (SIGKILL on POSIX); its pipes stay open, so what it wrote before
     * can still be read, up to end of file. asyncio's {@code Process.kill()}. Safe from any thread.
     */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    /**
     * Closes the child's pipes and kills the child (SIGKILL on POSIX) if it is still running;
     * returns at once, without waiting for it to exit ({@link #waitFor()} does, and then gives
     * {@code 128 + 9}). asyncio's {@code SubprocessTransport.close()} (what {@code Process}
     * runs on {@code proc._transport.close()}), which closes the pipes and kills a child whose
     * exit it has not seen; asyncio's {@code Process} is not a context manager, Python's
     * {@code subprocess.Popen} is, but its exit waits for the child instead of killing it, which
     * hangs on a child that never ends. The {@link AutoCloseable} method, so a try-with-resources
     * block ends with it; a child that has exited keeps its exit code, and the bytes already
     * buffered in {@link #stdout()} and {@link #stderr()} can still be read, up to end of file.
     * Bytes still queued for stdin may never reach the child, which is killed at once. Closing
     * again does nothing, and so does closing once the loop is closed (its close killed the
     * child already). A child closed this way is not reported as "unclosed transport" when the
     * loop closes.
     *
     * @throws IllegalStateException if called from another thread than that of the child's loop
     *                               while the loop is open
     */
    @Override
    public void close() {
        if (closed || loop.isClosed()) {
            return;
        }
        checkOnLoop("closed on its loop's thread");
        closed = true;
        for (Transport pipe : pipes) {
            if (pipe != null) {
                pipe.close();
            }
        }
        if (process.isAlive()) {
            kill();
        }
        RunningChildren.of(loop).forget(this);
    }

    @Override
    public String toString() {
        Integer rc = returncode();
        return "Subprocess[pid=" + pid() + (rc == null ? " running" : " returncode=" + rc) + "]";
    }

    /**
     * The child's stdin writer: once the child has exited and its stdin was closed for it, a
     * write is a lost connection ({@link ConnectionResetException}, what asyncio's
     * {@code drain()} raises then), not a write after the caller's own {@code close()}.
     */
    private final class StdinWriter extends StreamWriter {

        StdinWriter(Transport transport, StreamReaderProtocol protocol) {
            super(transport, protocol, null, loop);
        }

        private void checkChildThere() throws ConnectionResetException {
            if (stdinClosedByExit) {
                throw new ConnectionResetException("Connection lost: the child has exited");
            }
        }

        @Override
        public void write(byte[] data) throws IOException {
            checkChildThere();
            super.write(data);
        }

        @Override
        public void writelines(List<byte[]> data) throws IOException {
            checkChildThere();
            super.writelines(data);
        }
    }

    /**
     * The child's stdin as asyncio sees it. Once the child has exited, the JDK swaps its pipe for
     * a closed stream, whose writes fail with "Stream closed"; for asyncio that write hits a pipe
     * whose reader is gone, a {@code BrokenPipeError} (EPIPE), so here it is an
     * {@code IOException("Broken pipe")} with the JDK's as its cause.
     */
    private static final class StdinPipe extends java.io.FilterOutputStream {
        private final Process process;

        StdinPipe(Process process) {
            super(process.getOutputStream());
            this.process = process;
        }

        private IOException translate(IOException e) {
            if ("Stream closed".equals(e.getMessage()) && !process.isAlive()) {
                return new IOException("Broken pipe (the child has exited)", e);
            }
            return e;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw translate(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw translate(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw translate(e);
            }
        }
    }

    /**
     * What {@link #communicate} returns: asyncio's {@code (stdout_data, stderr_data)} tuple.
     *
     * @param stdout everything the child wrote to stdout, or null if it was not a pipe
     * @param stderr everything the child wrote to stderr, or null if it was not a pipe
     */
    public record Output(byte[] stdout, byte[] stderr) {
    }
}
