package org.jasyncio;

import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import org.jasyncio.internal.net.PipeReadTransport;
import org.jasyncio.internal.net.PipeWriteTransport;
import org.jasyncio.net.StreamReader;
import org.jasyncio.net.StreamReaderProtocol;
import org.jasyncio.net.StreamWriter;
import org.jasyncio.net.Transport;

/**
 * A child process started by {@link Asyncio#createSubprocessExec},
 * {@link Asyncio#createSubprocessShell} or {@link Asyncio#createSubprocess}: asyncio's
 * {@code asyncio.subprocess.Process}, named {@code Subprocess} so as not to hide
 * {@code java.lang.Process}. As in asyncio, its pipes are the streams of the networking API:
 * stdin is a {@link StreamWriter}, stdout and stderr are {@link StreamReader}s (with the
 * default limit of 64 KiB), each over a pipe transport that never blocks the loop; waiting for
 * exit suspends only the calling task.
 *
 * <pre>{@code
 * Subprocess p = Asyncio.createSubprocessExec("sh", "-c", "tr a-z A-Z");
 * Subprocess.Output out = p.communicate("hello\n".getBytes());
 * System.out.print(new String(out.stdout()));   // HELLO
 * int code = p.waitFor();                        // 0
 * }</pre>
 *
 * <p>Flow control works as on a socket: {@code stdin().drain()} suspends while more than 64
 * KiB wait to be written, and a reader that falls behind pauses its pipe (the child then
 * blocks writing) once it buffers twice its limit. A child that closes its stdin makes
 * {@code write} or {@code drain} throw an {@link java.io.IOException} (unchanged, undeclared:
 * catch {@code Exception} and test {@code instanceof}); over-long lines throw
 * {@link org.jasyncio.net.LimitOverrunException}, a short end of output
 * {@link org.jasyncio.net.IncompleteReadException}, as on a connection.
 *
 * <p>Use it on the loop that started it. Cancelling a task that waits for the child does not
 * stop the child (as in asyncio): call {@link #terminate()} or {@link #kill()}. Exit codes
 * follow Java: a child killed by signal {@code N} exits with {@code 128 + N} (asyncio says
 * {@code -N}).
 */
public final class Subprocess {

    private final EventLoop loop;
    private final Process process;
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    private final Transport[] pipes = new Transport[3];

    Subprocess(EventLoop loop, Process process, ProcessBuilder builder) {
        this.loop = loop;
        this.process = process;
        String id = "jasyncio-subprocess-" + process.pid();
        if (builder.redirectInput() == Redirect.PIPE) {
            // StreamWriter drains through a StreamReaderProtocol; stdin has nothing to read, so
            // the reader of its protocol stays empty and unseen (asyncio's one
            // SubprocessStreamProtocol plays this part for all three pipes).
            StreamReaderProtocol protocol = new StreamReaderProtocol(new StreamReader(StreamReader.DEFAULT_LIMIT, loop),
                    loop);
            pipes[0] = PipeWriteTransport.open(loop, process.getOutputStream(), protocol, id + "-stdin");
            this.stdin = new StreamWriter(pipes[0], protocol, null, loop);
        } else {
            this.stdin = null;
        }
        this.stdout = builder.redirectOutput() == Redirect.PIPE
                ? connectReader(process.getInputStream(), 1, id + "-stdout") : null;
        this.stderr = builder.redirectError() == Redirect.PIPE && !builder.redirectErrorStream()
                ? connectReader(process.getErrorStream(), 2, id + "-stderr") : null;
    }

    private StreamReader connectReader(InputStream in, int fd, String name) {
        StreamReader reader = new StreamReader(StreamReader.DEFAULT_LIMIT, loop);
        pipes[fd] = PipeReadTransport.open(loop, in, new StreamReaderProtocol(reader, loop), name);
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
     * asyncio's {@code Process.pid}.
     *
     * @return the child's process id
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The child's standard input, or null if it was not a pipe: a stream writer over the pipe
     * ({@code write}, {@code drain}, {@code close} or {@code writeEof} to give the child end of
     * file, {@code waitClosed}). asyncio's {@code Process.stdin}.
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
            }
            stdin.drain();
        } catch (CancelledError c) {
            throw c;
        } catch (Exception brokenPipe) {
            if (!(brokenPipe instanceof java.io.IOException)) {
                throw brokenPipe;
            }
            // The child does not want more input: asyncio ignores BrokenPipeError and
            // ConnectionResetError here too.
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
