package org.jasyncio;

import java.lang.ProcessBuilder.Redirect;

/**
 * A child process started by {@link Asyncio#createSubprocessExec},
 * {@link Asyncio#createSubprocessShell} or {@link Asyncio#createSubprocess}: asyncio's
 * {@code asyncio.subprocess.Process}, named {@code Subprocess} so as not to hide
 * {@code java.lang.Process}. Its pipes are {@link SubprocessWriter}/{@link SubprocessReader}
 * streams that never block the loop; waiting for exit suspends only the calling task.
 *
 * <pre>{@code
 * Subprocess p = Asyncio.createSubprocessExec("sh", "-c", "tr a-z A-Z");
 * Subprocess.Output out = p.communicate("hello\n".getBytes());
 * System.out.print(new String(out.stdout()));   // HELLO
 * int code = p.waitFor();                        // 0
 * }</pre>
 *
 * <p>Use it on the loop that started it. Cancelling a task that waits for the child does not
 * stop the child (as in asyncio): call {@link #terminate()} or {@link #kill()}. Exit codes
 * follow Java: a child killed by signal {@code N} exits with {@code 128 + N} (asyncio says
 * {@code -N}).
 */
public final class Subprocess {

    private final EventLoop loop;
    private final Process process;
    private final SubprocessWriter stdin;
    private final SubprocessReader stdout;
    private final SubprocessReader stderr;

    Subprocess(EventLoop loop, Process process, ProcessBuilder builder) {
        this.loop = loop;
        this.process = process;
        String id = "jasyncio-subprocess-" + process.pid();
        this.stdin = builder.redirectInput() == Redirect.PIPE
                ? new SubprocessWriter(loop, process.getOutputStream(), id + "-stdin") : null;
        this.stdout = builder.redirectOutput() == Redirect.PIPE
                ? new SubprocessReader(loop, process.getInputStream(), id + "-stdout", SubprocessReader.DEFAULT_LIMIT)
                : null;
        this.stderr = builder.redirectError() == Redirect.PIPE && !builder.redirectErrorStream()
                ? new SubprocessReader(loop, process.getErrorStream(), id + "-stderr", SubprocessReader.DEFAULT_LIMIT)
                : null;
    }

    /**
     * asyncio's {@code Process.pid}.
     *
     * @return the child's process id
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The child's standard input, or null if it was not a pipe. asyncio's {@code Process.stdin}.
     *
     * @return the writer or null
     */
    public SubprocessWriter stdin() {
        return stdin;
    }

    /**
     * The child's standard output, or null if it was not a pipe. asyncio's
     * {@code Process.stdout}.
     *
     * @return the reader or null
     */
    public SubprocessReader stdout() {
        return stdout;
    }

    /**
     * The child's standard error, or null if it was not a pipe (or merged into stdout).
     * asyncio's {@code Process.stderr}.
     *
     * @return the reader or null
     */
    public SubprocessReader stderr() {
        return stderr;
    }

    /**
     * asyncio's {@code Process.returncode}.
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
     * read its output, or use {@link #communicate}.
     *
     * @return the exit code
     * @throws CancelledError if the waiting task is cancelled (the child keeps running)
     */
    public int waitFor() {
        loop.checkOwner();
        if (!process.isAlive()) {
            return process.exitValue();
        }
        // A fresh onExit() stage per call: cancelling one waiter cancels only its own stage.
        return Future.fromCompletionStage(process.onExit()).await().exitValue();
    }

    /**
     * Sends {@code input} (if not null) to the child's stdin and closes it, reads stdout and
     * stderr to their end concurrently, and waits for the child to exit. A child that stops
     * reading early (broken pipe) is not an error. asyncio's {@code Process.communicate(input)}.
     *
     * @param input the bytes for stdin, or null
     * @return what the child wrote; a field is null where that stream is not a pipe
     * @throws IllegalStateException if {@code input} is given but stdin is not a pipe
     */
    public Output communicate(byte[] input) {
        loop.checkOwner();
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

    private void feed(byte[] input) {
        try {
            if (input != null) {
                stdin.write(input);
                stdin.drain();
            }
        } catch (CancelledError c) {
            throw c;
        } catch (Exception brokenPipe) {
            if (!(brokenPipe instanceof java.io.IOException)) {
                throw brokenPipe;
            }
            // The child does not want more input: asyncio ignores BrokenPipeError here too.
        }
        stdin.close();
    }

    /**
     * Asks the child to stop (SIGTERM on POSIX). asyncio's {@code Process.terminate()}.
     */
    public void terminate() {
        process.destroy();
    }

    /**
     * Stops the child at once (SIGKILL on POSIX). asyncio's {@code Process.kill()}.
     */
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        Integer rc = returncode();
        return "Subprocess[pid=" + pid() + (rc == null ? " running" : " returncode=" + rc) + "]";
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
