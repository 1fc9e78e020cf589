package org.jasyncio.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jasyncio.Asyncio;
import org.jasyncio.Future;
import org.jasyncio.ScheduleStrategy;
import org.jasyncio.Task;
import org.jasyncio.sync.Queue;
import org.junit.jupiter.api.Test;

/**
 * Responses handled in arrival order: a client pipelines two requests on one connection and
 * takes the first response for the first request, while the server handles each request in a
 * task of its own and answers as soon as it is done. When the answers come back in the other
 * order, the client shows the price of one product for another.
 *
 * <p>The connection is a pair of {@link Queue}s (the transport does not matter: only the order
 * of the writes does). Both lookups take 50 ms; asyncio fires equal deadlines in scheduling
 * order, so in the plain run the handler started first answers first and the responses happen
 * to come back in request order. Exploration jitters the lookups' deadlines. The fix tags each
 * request with an id and has a reader task complete the waiting caller's future by id.
 */
class ResponseOrderTest {

    record Request(int id, String product) {
    }

    record Response(int id, int cents) {
    }

    static final Map<String, Integer> PRICES = new TreeMap<>(Map.of("apple", 30, "pear", 45));

    /** The server: one handler task per request; each looks the price up in 50 ms. */
    static Task<Void> startServer(Queue<Request> in, Queue<Response> out) {
        return Asyncio.createTask(() -> {
            while (true) {
                Request r = in.get();
                Asyncio.createTask(() -> {
                    Asyncio.sleep(0.05); // the database lookup
                    out.put(new Response(r.id(), PRICES.get(r.product())));
                });
            }
        }, "server");
    }

    /** The bug: pipelines the requests and reads the responses in order, ignoring their ids. */
    static Map<String, Integer> pricesInArrivalOrder(Queue<Request> toServer, Queue<Response> fromServer,
                                                     List<String> products) {
        for (int i = 0; i < products.size(); i++) {
            toServer.put(new Request(i, products.get(i)));
        }
        Map<String, Integer> prices = new TreeMap<>();
        for (String p : products) {
            prices.put(p, fromServer.get().cents());
        }
        return prices;
    }

    /** The fix: a reader task completes each caller's future by the response's id. */
    static Map<String, Integer> pricesById(Queue<Request> toServer, Queue<Response> fromServer,
                                           List<String> products) {
        Map<Integer, Future<Integer>> pending = new HashMap<>();
        Task<Void> reader = Asyncio.createTask(() -> {
            while (true) {
                Response r = fromServer.get();
                pending.remove(r.id()).setResult(r.cents());
            }
        }, "response-reader");
        Map<String, Task<Integer>> calls = new LinkedHashMap<>();
        for (int i = 0; i < products.size(); i++) {
            int id = i;
            String product = products.get(i);
            calls.put(product, Asyncio.createTask(() -> {
                Future<Integer> answer = new Future<>();
                pending.put(id, answer); // registered before the request is sent
                toServer.put(new Request(id, product));
                return answer.await();
            }));
        }
        Map<String, Integer> prices = new TreeMap<>();
        for (Map.Entry<String, Task<Integer>> c : calls.entrySet()) {
            prices.put(c.getKey(), c.getValue().await());
        }
        reader.cancel();
        return prices;
    }

    interface Client {
        Map<String, Integer> prices(Queue<Request> toServer, Queue<Response> fromServer, List<String> products);
    }

    static void shoppingCart(Client client) {
        Queue<Request> toServer = new Queue<>();
        Queue<Response> fromServer = new Queue<>();
        Task<Void> server = startServer(toServer, fromServer);
        Map<String, Integer> prices = client.prices(toServer, fromServer, List.of("apple", "pear"));
        server.cancel();
        assertEquals(PRICES, prices, "responses matched to the wrong requests");
    }

    static void buggy() {
        shoppingCart(ResponseOrderTest::pricesInArrivalOrder);
    }

    static void fixed() {
        shoppingCart(ResponseOrderTest::pricesById);
    }

    @Test
    void thePlainRunPasses() {
        Gallery.assertPlainRunPasses(ResponseOrderTest::buggy);
    }

    @Test
    void explorationFindsTheSwappedResponsesAndItsSeedReplays() {
        Gallery.assertFoundAndReplays("response-order", ScheduleStrategy.RANDOM, ResponseOrderTest::buggy);
    }

    @Test
    void matchingResponsesByIdPassesEverySchedule() {
        Gallery.assertPassesUnderExploration(ResponseOrderTest::fixed, Gallery.FIXED_SCHEDULES);
    }
}
