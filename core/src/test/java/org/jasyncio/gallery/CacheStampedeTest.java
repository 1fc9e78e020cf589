package org.jasyncio.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jasyncio.Asyncio;
import org.jasyncio.ScheduleStrategy;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;

/**
 * A cache stampede: a read-through cache ({@code if missing: value = await backend.fetch(key);
 * cache[key] = value}) under a burst of requests for a key that is being loaded. Every request
 * that arrives before the first load has stored its value misses too and hits the backend.
 *
 * <p>At start-up a warm-up request loads the key (the backend answers in 100 ms) and user
 * traffic begins 100 ms later. With asyncio's timer order (equal deadlines fire in scheduling
 * order) the warm-up's load, scheduled first, completes before any user request is served, so
 * the plain run hits the backend once. Exploration jitters the deadlines, and users that come
 * first each load the key again. The fix is single flight: the first miss stores the loading
 * task, later requests await that same task.
 */
class CacheStampedeTest {

    static final int USERS = 8;

    /** The backend: 100 ms per fetch; counts the fetches. */
    static final class Backend {
        final List<String> fetches = new ArrayList<>();

        String fetch(String key) {
            fetches.add(key);
            Asyncio.sleep(0.1);
            return "profile of " + key;
        }
    }

    interface Cache {
        String get(String key);
    }

    /** The bug: check, await the backend, store. */
    static final class ReadThroughCache implements Cache {
        final Map<String, String> entries = new HashMap<>();
        final Backend backend;

        ReadThroughCache(Backend backend) {
            this.backend = backend;
        }

        @Override
        public String get(String key) {
            String v = entries.get(key);
            if (v == null) {
                v = backend.fetch(key);
                entries.put(key, v);
            }
            return v;
        }
    }

    /** The fix: one load per key in flight; every miss awaits it. */
    static final class SingleFlightCache implements Cache {
        final Map<String, String> entries = new HashMap<>();
        final Map<String, Task<String>> loading = new HashMap<>();
        final Backend backend;

        SingleFlightCache(Backend backend) {
            this.backend = backend;
        }

        @Override
        public String get(String key) {
            String v = entries.get(key);
            if (v != null) {
                return v;
            }
            Task<String> load = loading.computeIfAbsent(key, k -> Asyncio.createTask(() -> {
                try {
                    String value = backend.fetch(k);
                    entries.put(k, value);
                    return value;
                } finally {
                    loading.remove(k);
                }
            }));
            return load.await();
        }
    }

    interface CacheFactory {
        Cache create(Backend backend);
    }

    static void startUpBurst(CacheFactory factory) {
        Backend backend = new Backend();
        Cache cache = factory.create(backend);
        List<Task<String>> requests = new ArrayList<>();
        requests.add(Asyncio.createTask(() -> cache.get("user:42"), "warm-up"));
        for (int i = 0; i < USERS; i++) {
            requests.add(Asyncio.createTask(() -> {
                Asyncio.sleep(0.1); // traffic is let in 100 ms after the warm-up starts
                return cache.get("user:42");
            }, "user-" + i));
        }
        for (Task<String> r : requests) {
            assertEquals("profile of user:42", r.await());
        }
        assertEquals(1, backend.fetches.size(), "the backend was hit " + backend.fetches.size()
                + " times for one key by " + (USERS + 1) + " requests");
    }

    static void buggy() {
        startUpBurst(ReadThroughCache::new);
    }

    static void fixed() {
        startUpBurst(SingleFlightCache::new);
    }

    @Test
    void thePlainRunPasses() {
        Gallery.assertPlainRunPasses(CacheStampedeTest::buggy);
    }

    @Test
    void explorationFindsTheStampedeAndItsSeedReplays() {
        Gallery.assertFoundAndReplays("cache-stampede", ScheduleStrategy.RANDOM, CacheStampedeTest::buggy);
    }

    @Test
    void singleFlightPassesEverySchedule() {
        Gallery.assertPassesUnderExploration(CacheStampedeTest::fixed, Gallery.FIXED_SCHEDULES);
    }
}
