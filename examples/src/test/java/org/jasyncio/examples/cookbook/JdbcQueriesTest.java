package org.jasyncio.examples.cookbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jasyncio.AsyncTimeoutException;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDBC recipe on H2 in memory: the loop keeps running while a query blocks its thread,
 * the driver's exceptions arrive unchanged, a failed batch rolls back, and cancelling a query
 * interrupts its thread. Public, as are its SQL functions: H2 calls them by reflection.
 */
@Timeout(60)
public class JdbcQueriesTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    /** A fresh database per test: in-memory databases are shared by name within the JVM. */
    private static String newDatabase() {
        return JdbcQueries.memoryDatabase("test" + DATABASES.incrementAndGet());
    }

    // ---------------------------------------------------------------- SQL functions for the tests

    /** Counted down by the ticker task of {@link #theLoopRunsOtherTasksWhileAQueryBlocksItsThread}. */
    private static final CountDownLatch TICKS = new CountDownLatch(5);
    /** Counted down when {@link #sleepUntilInterrupted} is interrupted. */
    private static final CountDownLatch INTERRUPTED = new CountDownLatch(1);

    /**
     * A SQL function that returns only once the loop's ticker has ticked five times: if the
     * query blocked the loop, it would wait in vain and return false after 10 s.
     *
     * @return whether the ticks came
     * @throws InterruptedException if interrupted
     */
    public static boolean waitForTicks() throws InterruptedException {
        return TICKS.await(10, TimeUnit.SECONDS);
    }

    /**
     * A SQL function that sleeps until its thread is interrupted.
     *
     * @return never normally
     * @throws InterruptedException when interrupted
     */
    public static int sleepUntilInterrupted() throws InterruptedException {
        try {
            Thread.sleep(60_000);
            return 0;
        } catch (InterruptedException e) {
            INTERRUPTED.countDown();
            throw e;
        }
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void theLoopRunsOtherTasksWhileAQueryBlocksItsThread() {
        String url = newDatabase();
        Asyncio.run(() -> {
            JdbcQueries.execute(url, "CREATE ALIAS WAIT_FOR_TICKS FOR '" + getClass().getName() + ".waitForTicks'");
            Task<Void> ticker = Asyncio.createTask(() -> {
                while (true) {
                    Asyncio.sleep(0.01);
                    TICKS.countDown();
                }
            });
            List<List<Object>> rows = JdbcQueries.query(url, "SELECT WAIT_FOR_TICKS()");
            ticker.cancel();
            assertEquals(List.of(List.of(true)), rows);
        });
    }

    @Test
    void theDemonstrationTicksWhileTheReportRuns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            JdbcQueries.run(out, newDatabase());
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("3 orders stored", "report started: the query sleeps 0.2 s per order"),
                lines.subList(0, 2), lines.toString());
        int ticks = 0;
        while (lines.get(2 + ticks).equals("tick " + (ticks + 1))) {
            ticks++;
        }
        // 0.6 s of query with a tick every 0.1 s: about six; a blocked loop would print none
        assertTrue(ticks >= 1, "no tick while the query ran: " + lines);
        assertEquals(List.of("alice: 42.50", "bob: 17.00", "the loop ticked " + ticks + " times while the query ran"),
                lines.subList(2 + ticks, lines.size()), lines.toString());
    }

    @Test
    void rowsComeBackAsTheirColumnValues() {
        String url = newDatabase();
        List<List<Object>> rows = Asyncio.run(() -> {
            JdbcQueries.execute(url, "CREATE TABLE t(id INT PRIMARY KEY, name VARCHAR(10), price DECIMAL(5, 2))",
                    "INSERT INTO t VALUES (1, 'tea', 2.50), (2, 'cake', 3.00)");
            return JdbcQueries.query(url, "SELECT id, name, price FROM t WHERE price > ? ORDER BY id", 1);
        });
        assertEquals(List.of(List.of(1, "tea", new BigDecimal("2.50")), List.of(2, "cake", new BigDecimal("3.00"))), rows);
    }

    @Test
    void aFailingQueryThrowsTheDriversExceptionUnchanged() {
        String url = newDatabase();
        Asyncio.run(() -> {
            try {
                JdbcQueries.query(url, "SELECT * FROM nowhere");
                fail("queried a table that does not exist");
            } catch (Exception e) {
                SQLException sql = assertInstanceOf(SQLException.class, e);
                assertTrue(sql.getMessage().contains("NOWHERE"), sql.getMessage());
            }
        });
    }

    @Test
    void aFailedStatementRollsBackTheWholeBatch() {
        String url = newDatabase();
        Asyncio.run(() -> {
            JdbcQueries.execute(url, "CREATE TABLE t(id INT PRIMARY KEY)");
            assertThrows(SQLException.class,
                    () -> JdbcQueries.execute(url, "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (1)"));
            assertEquals(List.of(List.of(0L)), JdbcQueries.query(url, "SELECT COUNT(*) FROM t"));
            assertEquals(2, JdbcQueries.execute(url, "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)"));
        });
    }

    @Test
    void aTimedOutQueryInterruptsItsThread() throws InterruptedException {
        String url = newDatabase();
        Asyncio.run(() -> {
            JdbcQueries.execute(url, "CREATE ALIAS SLEEP_LONG FOR '" + getClass().getName() + ".sleepUntilInterrupted'");
            assertThrows(AsyncTimeoutException.class,
                    () -> Asyncio.waitFor(() -> JdbcQueries.query(url, "SELECT SLEEP_LONG()"), 0.2));
        });
        assertTrue(INTERRUPTED.await(10, TimeUnit.SECONDS), "the query's thread was not interrupted");
    }
}
