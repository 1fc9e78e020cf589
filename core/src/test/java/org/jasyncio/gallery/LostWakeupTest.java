package org.jasyncio.gallery;

import static org.junit.jupiter.api.Assertions.fail;

import org.jasyncio.AsyncTimeoutException;
import org.jasyncio.Asyncio;
import org.jasyncio.ScheduleStrategy;
import org.jasyncio.Task;
import org.jasyncio.sync.Event;
import org.junit.jupiter.api.Test;

/**
 * An event set before the waiter registers again, a lost wake-up: a config reloader waits for
 * a "changed" {@link Event}, reloads (500 ms), and only then clears the event. A change pushed
 * while it reloads sets the event that the reloader then clears: it never loads the new version,
 * and would wait forever (the test bounds the wait with {@code waitFor} on the virtual clock, so
 * the lost wake-up shows as a timeout).
 *
 * <p>The deploy tool pushes version 1, then version 2 just over 500 ms later, so in the plain run
 * the reload of version 1 ends (and clears the event) first, and the second push wakes the
 * reloader again. Exploration jitters both timers by up to 1 ms, and when the reload ends last,
 * the wake-up is lost. It relies on asyncio's {@code Event} semantics: {@code set()} on a set
 * event does nothing, {@code clear()} forgets a set that no waiter saw. The fix clears the event
 * as soon as the reloader wakes, before reloading: a change during the reload then stays set.
 */
class LostWakeupTest {

    /** The config file the deploy tool writes and the reloader reads. */
    static final class ConfigStore {
        int version;
        int loaded;
        final Event changed = new Event();
        final Event v2Loaded = new Event();
    }

    static void deploy(ConfigStore store) {
        Asyncio.sleep(1.0);
        store.version = 1;
        store.changed.set();
        Asyncio.sleep(0.5002);
        store.version = 2;
        store.changed.set();
    }

    static void reload(ConfigStore store) {
        int v = store.version;
        Asyncio.sleep(0.5); // parse, validate, swap the config in
        store.loaded = v;
        if (v == 2) {
            store.v2Loaded.set();
        }
    }

    /** The bug: clears the event after the reload's await. */
    static void reloaderClearingLate(ConfigStore store) {
        while (true) {
            store.changed.await();
            reload(store);
            store.changed.clear();
        }
    }

    /** The fix: clears the event when it wakes, before the reload. */
    static void reloaderClearingFirst(ConfigStore store) {
        while (true) {
            store.changed.await();
            store.changed.clear();
            reload(store);
        }
    }

    interface Reloader {
        void run(ConfigStore store);
    }

    static void twoPushes(Reloader reloader) {
        ConfigStore store = new ConfigStore();
        Task<Void> reloading = Asyncio.createTask(() -> reloader.run(store), "reloader");
        Task<Void> deployer = Asyncio.createTask(() -> deploy(store), "deployer");
        try {
            Asyncio.waitFor(() -> {
                store.v2Loaded.await();
                return null;
            }, 10);
        } catch (AsyncTimeoutException e) {
            fail("lost wake-up: version " + store.version + " was pushed, the reloader still runs version "
                    + store.loaded + " at t=" + Asyncio.getRunningLoop().time());
        } finally {
            reloading.cancel();
            deployer.cancel();
        }
    }

    static void buggy() {
        twoPushes(LostWakeupTest::reloaderClearingLate);
    }

    static void fixed() {
        twoPushes(LostWakeupTest::reloaderClearingFirst);
    }

    @Test
    void thePlainRunPasses() {
        Gallery.assertPlainRunPasses(LostWakeupTest::buggy);
    }

    @Test
    void explorationFindsTheLostWakeupAndItsSeedReplays() {
        Gallery.assertFoundAndReplays("lost-wakeup", ScheduleStrategy.RANDOM, LostWakeupTest::buggy);
    }

    @Test
    void clearingBeforeTheReloadPassesEverySchedule() {
        Gallery.assertPassesUnderExploration(LostWakeupTest::fixed, Gallery.FIXED_SCHEDULES);
    }
}
