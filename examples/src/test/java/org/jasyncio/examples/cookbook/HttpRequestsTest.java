package org.jasyncio.examples.cookbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jasyncio.AsyncTimeoutException;
import org.jasyncio.Asyncio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP recipe against a local {@link HttpServer}: requests really overlap, results come
 * in argument order, the timeout cancels what still runs, failures arrive unchanged.
 */
@Timeout(60)
class HttpRequestsTest {

    private HttpServer server;
    private HttpClient client;
    private String base;
    /** Counts the requests of /together/ that have arrived. */
    private final CountDownLatch together = new CountDownLatch(3);
    /** Holds /hang's answers until the test ends. */
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        // Answers only once three requests are in at the same time: a client that sent them one
        // after the other would get 503 after 10 s.
        server.createContext("/together/", exchange -> {
            together.countDown();
            boolean all = await(together, 10);
            String name = exchange.getRequestURI().getPath().substring("/together/".length());
            HttpRequests.respond(exchange, all ? 200 : 503, "all here: " + name);
        });
        server.createContext("/delay/", exchange -> {
            int millis = Integer.parseInt(exchange.getRequestURI().getPath().substring("/delay/".length()));
            sleep(millis);
            HttpRequests.respond(exchange, 200, "after " + millis);
        });
        server.createContext("/hang", exchange -> {
            await(release, 30);
            HttpRequests.respond(exchange, 200, "late");
        });
        server.createContext("/missing", exchange -> HttpRequests.respond(exchange, 404, "no"));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        client.close();
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    @Test
    void theRequestsRunConcurrently() {
        List<String> bodies = Asyncio.run(() -> HttpRequests.fetchAll(client,
                List.of(uri("/together/a"), uri("/together/b"), uri("/together/c")), 30.0));
        assertEquals(List.of("all here: a", "all here: b", "all here: c"), bodies);
    }

    @Test
    void theBodiesComeInArgumentOrderWhateverOrderTheyArriveIn() {
        List<String> bodies = Asyncio.run(() -> HttpRequests.fetchAll(client,
                List.of(uri("/delay/300"), uri("/delay/0"), uri("/delay/150")), 30.0));
        assertEquals(List.of("after 300", "after 0", "after 150"), bodies);
    }

    @Test
    void theTimeoutCancelsEveryRequestStillRunning() {
        Asyncio.run(() -> {
            double start = Asyncio.getRunningLoop().time();
            assertThrows(AsyncTimeoutException.class,
                    () -> HttpRequests.fetchAll(client, List.of(uri("/delay/0"), uri("/hang"), uri("/hang")), 0.5));
            double waited = Asyncio.getRunningLoop().time() - start;
            assertTrue(waited >= 0.5 && waited < 25, "the timeout fired after " + waited + " s");
            // gather waited for its cancelled children: none is left running
            assertEquals(Set.of(Asyncio.currentTask()), Asyncio.allTasks());
        });
    }

    @Test
    void aRefusedConnectionThrowsTheClientsExceptionUnchanged() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/");
        Asyncio.run(() -> {
            try {
                HttpRequests.fetch(client, nowhere);
                fail("fetched from a closed port");
            } catch (Exception e) {
                assertInstanceOf(ConnectException.class, e); // not wrapped in a CompletionException
            }
        });
    }

    @Test
    void aStatusOtherThan200IsAnIOException() {
        Asyncio.run(() -> {
            IOException e = assertThrows(IOException.class, () -> HttpRequests.fetch(client, uri("/missing")));
            assertEquals("GET " + uri("/missing") + ": HTTP 404", e.getMessage());
        });
    }

    @Test
    void theDemonstrationFetchesThreePagesOfItsOwnServer() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            HttpRequests.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("/slow/a -> hello from a", "/slow/b -> hello from b", "/slow/c -> hello from c"),
                lines.subList(0, 3), lines.toString());
        assertTrue(lines.get(3).matches("3 requests in \\d+\\.\\d s"), lines.get(3));
        assertEquals(4, lines.size(), lines.toString());
    }

    private static boolean await(CountDownLatch latch, int seconds) {
        try {
            return latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
