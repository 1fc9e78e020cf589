package org.jasyncio.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jasyncio.Asyncio;
import org.jasyncio.ScheduleStrategy;
import org.jasyncio.net.Server;
import org.jasyncio.streams.Connection;
import org.jasyncio.streams.StreamReader;
import org.jasyncio.streams.StreamWriter;
import org.jasyncio.sync.Event;
import org.junit.jupiter.api.Test;

/**
 * Order assumed across two connections: an upload client opens a control connection and a data
 * connection to a server on loopback, writes {@code BEGIN 42} on the control connection and then
 * {@code DATA 42 ...} on the data connection. The server assumes that the BEGIN, written first,
 * is processed first, and rejects data for an upload it does not know. TCP orders the bytes of
 * one connection, never those of two.
 *
 * <p>Both lines reach the server's sockets before its next loop iteration, so both channels are
 * readable in the same iteration. The plain run handles them in the order the selector reports
 * them, which here is the control connection first; under a seed the loop hands out I/O
 * readiness of several channels in any order. The fix: the server parks data for an unknown
 * upload until its BEGIN arrives (or the client sends the BEGIN and awaits its acknowledgement
 * before it sends data).
 */
class TwoConnectionsTest {

    /** The upload server; {@code parkEarlyData} is the fix. */
    static final class UploadServer {
        final boolean parkEarlyData;
        final Map<String, StringBuilder> uploads = new HashMap<>();
        final Map<String, List<String>> early = new HashMap<>();
        final List<String> errors = new ArrayList<>();
        final Event dataHandled = new Event();

        UploadServer(boolean parkEarlyData) {
            this.parkEarlyData = parkEarlyData;
        }

        void serve(StreamReader reader, StreamWriter writer) throws IOException {
            byte[] line;
            while ((line = reader.readline()).length > 0) {
                String[] f = new String(line, StandardCharsets.UTF_8).trim().split(" ", 3);
                switch (f[0]) {
                    case "BEGIN" -> {
                        StringBuilder body = new StringBuilder();
                        uploads.put(f[1], body);
                        early.getOrDefault(f[1], List.of()).forEach(body::append);
                    }
                    case "DATA" -> {
                        StringBuilder body = uploads.get(f[1]);
                        if (body != null) {
                            body.append(f[2]);
                        } else if (parkEarlyData) {
                            early.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f[2]);
                        } else {
                            errors.add("data for unknown upload " + f[1]);
                        }
                        dataHandled.set();
                    }
                    default -> errors.add("bad line " + f[0]);
                }
            }
            writer.close();
        }
    }

    static void upload(boolean parkEarlyData) throws Exception {
        UploadServer app = new UploadServer(parkEarlyData);
        Server server = Asyncio.startServer(app::serve, "127.0.0.1", 0);
        try {
            Connection control = Asyncio.openConnection("127.0.0.1", server.port());
            Connection data = Asyncio.openConnection("127.0.0.1", server.port());
            control.writer().write("BEGIN 42\n".getBytes(StandardCharsets.UTF_8));
            data.writer().write("DATA 42 hello\n".getBytes(StandardCharsets.UTF_8));
            Asyncio.waitFor(() -> {
                app.dataHandled.await();
                Asyncio.sleep(0.1); // let the control connection's line be handled too
                return null;
            }, 10);
            control.writer().close();
            data.writer().close();
            control.writer().waitClosed();
            data.writer().waitClosed();
        } finally {
            server.close();
        }
        assertEquals(List.of(), app.errors, "the server lost data sent on the second connection");
        assertEquals("hello", String.valueOf(app.uploads.get("42")));
    }

    static void buggy() throws Exception {
        upload(false);
    }

    static void fixed() throws Exception {
        upload(true);
    }

    @Test
    void thePlainRunPasses() {
        Gallery.assertPlainRunPasses(TwoConnectionsTest::buggy);
    }

    @Test
    void explorationFindsTheEarlyDataAndItsSeedReplays() {
        Gallery.assertFoundAndReplays("two-connections", ScheduleStrategy.RANDOM, TwoConnectionsTest::buggy);
    }

    @Test
    void parkingEarlyDataPassesEverySchedule() {
        Gallery.assertPassesUnderExploration(TwoConnectionsTest::fixed, Gallery.FIXED_SCHEDULES);
    }
}
