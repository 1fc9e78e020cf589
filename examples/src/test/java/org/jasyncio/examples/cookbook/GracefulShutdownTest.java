package org.jasyncio.examples.cookbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jasyncio.Asyncio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graceful-shutdown recipe, run as its own process and stopped with a real SIGTERM
 * ({@code kill -TERM}, Linux) while a request is in flight.
 */
@Timeout(60)
class GracefulShutdownTest {

    @TempDir
    Path dir;

    @Test
    void onSigtermItStopsAcceptingFinishesTheRequestInFlightAndExitsNormally() throws Exception {
        Child server = Child.start(dir, "0", "10");
        try {
            int port = server.port();
            try (Socket client = new Socket("127.0.0.1", port)) {
                send(client, "0.5");
                server.awaitLine("request: 0.5 s");
                server.signal("TERM");
                server.awaitLine("SIGTERM: no new connections; 1 request(s) in flight");
                assertNotServed(port);
                assertEquals("done in 0.5 s", readLine(client), "the request in flight was not finished");
            }
            assertEquals(0, server.awaitExit(), server.stderr());
            assertEquals(List.of("listening on 127.0.0.1:" + port, "request: 0.5 s",
                    "SIGTERM: no new connections; 1 request(s) in flight", "all requests finished", "bye"), server.lines());
        } finally {
            server.destroy();
        }
    }

    @Test
    void aRequestStillRunningAfterTheGracePeriodIsCancelledAndTheServerStillExitsNormally() throws Exception {
        Child server = Child.start(dir, "0", "0.2");
        try {
            int port = server.port();
            try (Socket client = new Socket("127.0.0.1", port)) {
                send(client, "3600");
                server.awaitLine("request: 3600 s");
                server.signal("TERM");
                assertEquals(null, readLine(client), "the connection of the cancelled request was not closed");
            }
            assertEquals(0, server.awaitExit(), server.stderr());
            assertEquals(List.of("listening on 127.0.0.1:" + port, "request: 3600 s",
                    "SIGTERM: no new connections; 1 request(s) in flight", "grace period over: cancelling 1 request(s)",
                    "bye"), server.lines());
        } finally {
            server.destroy();
        }
    }

    /**
     * A connection made after the server closed is refused, or, if it reached the listening
     * socket's backlog in the moment before NIO really closed it (a closed channel's socket
     * goes when its selector next deregisters it), reset without being served.
     */
    private static void assertNotServed(int port) {
        try (Socket late = new Socket("127.0.0.1", port)) {
            send(late, "0");
            String reply = readLine(late);
            assertEquals(null, reply, "a connection made after SIGTERM was served");
        } catch (SocketException refusedOrReset) { // ConnectException included
            // refused, or reset when the listening socket closed: not served either way
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void send(Socket s, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(Socket s) throws IOException {
        s.setSoTimeout(20_000);
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    /** The recipe in a child JVM on this run's strand; its output read line by line as it comes. */
    private static final class Child {
        private final Process process;
        private final Path stderr;
        private final List<String> lines = new ArrayList<>();
        private boolean ended;

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            Thread.ofPlatform().daemon().start(this::read);
        }

        static Child start(Path dir, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Djasyncio.strand=" + Asyncio.strandName(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    GracefulShutdown.class.getName()));
            cmd.addAll(List.of(args));
            Path err = dir.resolve("stderr.txt");
            return new Child(new ProcessBuilder(cmd).redirectError(err.toFile()).start(), err);
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException gone) {
                // the child ended
            } finally {
                synchronized (lines) {
                    ended = true;
                    lines.notifyAll();
                }
            }
        }

        /** The first line that starts with {@code prefix}, waiting up to 20 s for it. */
        String awaitLineStartingWith(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            synchronized (lines) {
                while (true) {
                    for (String l : lines) {
                        if (l.startsWith(prefix)) {
                            return l;
                        }
                    }
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || ended) {
                        throw new AssertionError("the server did not print \"" + prefix + "...\"; output: " + lines
                                + "\nstderr:\n" + stderr());
                    }
                    lines.wait(left);
                }
            }
        }

        void awaitLine(String line) throws InterruptedException {
            assertEquals(line, awaitLineStartingWith(line));
        }

        int port() throws InterruptedException {
            String listening = awaitLineStartingWith("listening on 127.0.0.1:");
            return Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
        }

        void signal(String name) throws IOException, InterruptedException {
            assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor());
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the server did not exit within 20 s after SIGTERM");
            return process.exitValue();
        }

        List<String> lines() throws InterruptedException {
            synchronized (lines) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!ended && System.nanoTime() < deadline) {
                    lines.wait(100);
                }
                return List.copyOf(lines);
            }
        }

        String stderr() {
            try {
                return Files.readString(stderr);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        void destroy() {
            process.destroyForcibly();
        }
    }
}
