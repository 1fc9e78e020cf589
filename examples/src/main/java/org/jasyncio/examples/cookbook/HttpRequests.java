package org.jasyncio.examples.cookbook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;

/**
 * Cookbook recipe: HTTP with the JDK's {@link HttpClient} inside tasks. {@code sendAsync}
 * returns a {@code CompletableFuture}, and {@link Asyncio#await(java.util.concurrent.CompletionStage)}
 * suspends the calling task (not the loop's thread) until it completes: Python's
 * {@code await asyncio.wrap_future(f)}. Several requests run concurrently with
 * {@link Asyncio#gather}, all under one {@link Asyncio#timeout(double, org.jasyncio.Coroutine)}.
 *
 * <pre>
 * java ... org.jasyncio.examples.cookbook.HttpRequests [URL...]
 * </pre>
 * Without URLs it starts a small local server (this machine may have no network) and fetches
 * three of its pages, each of which takes half a second to answer.
 */
public final class HttpRequests {

    private HttpRequests() {
    }

    /**
     * GETs {@code uri} and returns the body. The calling task suspends until the response
     * has arrived; other tasks run meanwhile. Cancelling the task cancels {@code sendAsync}'s
     * future, and the JDK's client then tries to abort the exchange.
     *
     * @param client the client (one per program: it holds the connection pool)
     * @param uri    the address
     * @return the body, decoded as UTF-8
     * @throws IOException if the connection fails (the client's exception, unchanged) or the
     *                     status is not 200
     */
    public static String fetch(HttpClient client, URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
        HttpResponse<String> response = Asyncio.await(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + ": HTTP " + response.statusCode());
        }
        return response.body();
    }

    /**
     * GETs every address concurrently and returns the bodies in the order of {@code uris}.
     * If they are not all done within {@code seconds}, every request still running is
     * cancelled and {@link org.jasyncio.AsyncTimeoutException} is thrown.
     *
     * @param client  the client
     * @param uris    the addresses
     * @param seconds the time limit for all of them together
     * @return the bodies, in argument order
     * @throws IOException if a request fails (the first failure; the others run on to their end)
     */
    public static List<String> fetchAll(HttpClient client, List<URI> uris, double seconds) throws IOException {
        return Asyncio.timeout(seconds, () -> {
            List<Task<String>> requests = new ArrayList<>();
            for (URI uri : uris) {
                requests.add(Asyncio.createTask(() -> fetch(client, uri), "GET " + uri));
            }
            return Asyncio.gather(requests).await();
        });
    }

    /**
     * Fetches {@code uris} and prints each body and the time it took.
     *
     * @param out  where to print
     * @param uris the addresses
     */
    public static void run(PrintStream out, List<URI> uris) {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Asyncio.run(() -> {
                double start = Asyncio.getRunningLoop().time();
                List<String> bodies = fetchAll(client, uris, 10.0);
                for (int i = 0; i < uris.size(); i++) {
                    out.println(uris.get(i).getPath() + " -> " + bodies.get(i));
                }
                double seconds = Asyncio.getRunningLoop().time() - start;
                out.println(String.format(Locale.ROOT, "%d requests in %.1f s", uris.size(), seconds));
            });
        }
    }

    /**
     * A local server for the demonstration: {@code /slow/NAME} answers {@code hello from NAME}
     * after half a second, each exchange on a virtual thread of its own.
     *
     * @return the server, started on an ephemeral port of 127.0.0.1
     * @throws IOException if it cannot bind
     */
    public static HttpServer startDemoServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/slow/", exchange -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String name = exchange.getRequestURI().getPath().substring("/slow/".length());
            respond(exchange, 200, "hello from " + name);
        });
        server.start();
        return server;
    }

    /**
     * Sends {@code body} as the whole response and closes the exchange.
     *
     * @param exchange the exchange
     * @param status   the status code
     * @param body     the body, sent as UTF-8
     * @throws IOException if the client went away
     */
    public static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    /**
     * Fetches the URLs given, or three pages of a local demonstration server.
     *
     * @param args URLs
     * @throws IOException if the demonstration server cannot start
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            run(System.out, List.of(args).stream().map(URI::create).toList());
            return;
        }
        HttpServer local = startDemoServer();
        try {
            String base = "http://127.0.0.1:" + local.getAddress().getPort() + "/slow/";
            run(System.out, List.of(URI.create(base + "a"), URI.create(base + "b"), URI.create(base + "c")));
        } finally {
            local.stop(0);
        }
    }
}
