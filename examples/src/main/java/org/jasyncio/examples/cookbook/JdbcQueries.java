package org.jasyncio.examples.cookbook;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jasyncio.Asyncio;
import org.jasyncio.Task;

/**
 * Cookbook recipe: JDBC from tasks. JDBC blocks its thread, and a blocking call in a task
 * blocks the whole loop, so every JDBC call runs on another thread through
 * {@link Asyncio#toThread}: the task suspends until the result is back, and the loop runs
 * other tasks meanwhile. The database is H2, embedded and in memory.
 *
 * <pre>
 * java ... org.jasyncio.examples.cookbook.JdbcQueries
 * </pre>
 * prints a ticker task's ticks while a query that takes 0.6 s runs.
 */
public final class JdbcQueries {

    /** The demonstration's report: totals per customer, made slow by {@link #pause} (once per order). */
    static final String REPORT = "SELECT customer, SUM(amount) FROM orders WHERE PAUSE(?) >= 0 "
            + "GROUP BY customer ORDER BY customer";

    private JdbcQueries() {
    }

    /**
     * The JDBC URL of an H2 database in memory that lives until the JVM exits.
     *
     * @param name the database's name
     * @return the URL
     */
    public static String memoryDatabase(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    /**
     * Runs the query {@code sql} on another thread, with a connection of its own, and returns
     * its rows. The calling task suspends until they are back; cancelling it interrupts the
     * worker thread.
     *
     * @param url    the JDBC URL
     * @param sql    the query, with {@code ?} for each parameter
     * @param params the parameters, in order
     * @return the rows, each the list of its column values
     * @throws SQLException if the query fails (the driver's exception, unchanged)
     */
    public static List<List<Object>> query(String url, String sql, Object... params) throws SQLException {
        return Asyncio.toThread(() -> {
            try (Connection connection = DriverManager.getConnection(url);
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    statement.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    List<List<Object>> rows = new ArrayList<>();
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>();
                        for (int c = 1; c <= columns; c++) {
                            row.add(rs.getObject(c));
                        }
                        rows.add(row);
                    }
                    return rows;
                }
            }
        }).await();
    }

    /**
     * Runs the statements (DDL, inserts, updates) on another thread in one transaction.
     *
     * @param url        the JDBC URL
     * @param statements the statements, in order
     * @return the sum of their update counts
     * @throws SQLException if one fails; the transaction is then rolled back
     */
    public static int execute(String url, String... statements) throws SQLException {
        return Asyncio.toThread(() -> {
            try (Connection connection = DriverManager.getConnection(url);
                 Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                try {
                    int count = 0;
                    for (String sql : statements) {
                        statement.execute(sql);
                        count += Math.max(0, statement.getUpdateCount());
                    }
                    connection.commit();
                    return count;
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                }
            }
        }).await();
    }

    /**
     * Blocks the calling thread for {@code millis} ms: a SQL function ({@code PAUSE}) that
     * makes a query slow, standing in for a report over a big table or a wait for a row
     * lock. H2 calls it on the thread that runs the query, once per row it filters.
     *
     * @param millis how long
     * @return {@code millis}
     * @throws InterruptedException if the thread is interrupted (the task was cancelled)
     */
    public static int pause(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    /**
     * Creates and fills the demonstration's table, then runs the slow report while a ticker
     * task prints a tick every 0.1 s.
     *
     * @param out where to print
     * @param url a JDBC URL of an empty database
     */
    public static void run(PrintStream out, String url) {
        Asyncio.run(() -> {
            int rows = execute(url,
                    "CREATE TABLE orders(id INT PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(10, 2))",
                    "INSERT INTO orders VALUES (1, 'alice', 30.00), (2, 'bob', 17.00), (3, 'alice', 12.50)",
                    "CREATE ALIAS PAUSE FOR 'org.jasyncio.examples.cookbook.JdbcQueries.pause'");
            out.println(rows + " orders stored");
            AtomicInteger ticks = new AtomicInteger();
            Task<Void> ticker = Asyncio.createTask(() -> {
                while (true) {
                    Asyncio.sleep(0.1);
                    out.println("tick " + ticks.incrementAndGet());
                }
            });
            try {
                out.println("report started: the query sleeps 0.2 s per order");
                List<List<Object>> report = query(url, REPORT, 200);
                int ticked = ticks.get();
                for (List<Object> row : report) {
                    out.println(row.get(0) + ": " + row.get(1));
                }
                out.println("the loop ticked " + ticked + " times while the query ran");
            } finally {
                ticker.cancel();
            }
        });
    }

    /**
     * Runs the demonstration on a fresh in-memory database.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out, memoryDatabase("cookbook"));
    }
}
