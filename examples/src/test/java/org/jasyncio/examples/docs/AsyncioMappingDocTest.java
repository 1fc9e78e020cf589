package org.jasyncio.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The table "Every public name of asyncio 3.14" of docs/asyncio-mapping.md: it lists each name
 * of asyncio 3.14's {@code __all__} once, and every jasyncio class or member it names exists.
 */
class AsyncioMappingDocTest {

    private static final Path PAGE = Path.of("..", "docs", "asyncio-mapping.md");
    private static final String SECTION = "## Every public name of asyncio 3.14";

    /**
     * asyncio 3.14's {@code __all__}: the submodules' lists in the order {@code __init__.py}
     * concatenates them, then the platform module's (Unix, then the names only Windows adds).
     * Sources as the page says: CPython's {@code Lib/asyncio/__init__.py} and
     * {@code windows_events.py} of 3.14, and typeshed's stubs of the other submodules.
     */
    static final List<String> ASYNCIO_3_14_ALL = Stream.of(
            // base_events
            "BaseEventLoop", "Server",
            // coroutines
            "iscoroutinefunction", "iscoroutine",
            // events
            "AbstractEventLoop", "AbstractServer", "Handle", "TimerHandle", "get_event_loop_policy",
            "set_event_loop_policy", "get_event_loop", "set_event_loop", "new_event_loop", "_set_running_loop",
            "get_running_loop", "_get_running_loop",
            // exceptions
            "BrokenBarrierError", "CancelledError", "InvalidStateError", "TimeoutError", "IncompleteReadError",
            "LimitOverrunError", "SendfileNotAvailableError",
            // futures
            "Future", "wrap_future", "isfuture", "future_discard_from_awaited_by", "future_add_to_awaited_by",
            // graph
            "capture_call_graph", "format_call_graph", "print_call_graph", "FrameCallGraphEntry", "FutureCallGraph",
            // locks
            "Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "Barrier",
            // protocols
            "BaseProtocol", "Protocol", "DatagramProtocol", "SubprocessProtocol", "BufferedProtocol",
            // runners
            "Runner", "run",
            // queues
            "Queue", "PriorityQueue", "LifoQueue", "QueueFull", "QueueEmpty", "QueueShutDown",
            // streams (the last two on Unix only)
            "StreamReader", "StreamWriter", "StreamReaderProtocol", "open_connection", "start_server",
            "open_unix_connection", "start_unix_server",
            // subprocess
            "create_subprocess_exec", "create_subprocess_shell",
            // tasks
            "Task", "create_task", "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED", "wait", "wait_for",
            "as_completed", "sleep", "gather", "shield", "ensure_future", "run_coroutine_threadsafe", "current_task",
            "all_tasks", "create_eager_task_factory", "eager_task_factory", "_register_task", "_unregister_task",
            "_enter_task", "_leave_task",
            // taskgroups
            "TaskGroup",
            // threads
            "to_thread",
            // timeouts
            "Timeout", "timeout", "timeout_at",
            // transports
            "BaseTransport", "ReadTransport", "WriteTransport", "Transport", "DatagramTransport",
            "SubprocessTransport",
            // unix_events
            "SelectorEventLoop", "EventLoop",
            // windows_events, besides SelectorEventLoop and EventLoop
            "ProactorEventLoop", "IocpProactor", "_DefaultEventLoopPolicy", "_WindowsSelectorEventLoopPolicy",
            "_WindowsProactorEventLoopPolicy").toList();

    /** A jasyncio class, or one of its members after {@code #}, written in backquotes. */
    private static final Pattern REFERENCE =
            Pattern.compile("`(org\\.jasyncio(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*)(?:#(\\w+))?`");

    /** A row of the table: the asyncio name, its module(s), the jasyncio cell, the notes. */
    record Row(String name, String module, String jasyncio, String notes) {
    }

    @Test
    void theListHasOneHundredDistinctNames() {
        assertEquals(100, ASYNCIO_3_14_ALL.size());
        assertEquals(100, new LinkedHashSet<>(ASYNCIO_3_14_ALL).size());
    }

    @Test
    void theTableListsEveryNameOfAsyncio314Once() throws IOException {
        List<String> names = rows(Files.readString(PAGE)).stream().map(Row::name).toList();
        assertEquals(ASYNCIO_3_14_ALL, names, "the table's names, in the order of asyncio's __all__");
    }

    @Test
    void eachRowNamesJasyncioCodeOrSaysWhyThereIsNone() throws IOException {
        for (Row row : rows(Files.readString(PAGE))) {
            boolean names = REFERENCE.matcher(row.jasyncio()).find();
            assertTrue(names || row.jasyncio().startsWith("none"),
                    row.name() + ": the jasyncio column names a class or member, or starts with 'none'");
            assertTrue(names || row.notes().length() > 10, row.name() + ": no counterpart, and no reason given");
        }
    }

    @Test
    void everyJasyncioClassAndMemberTheTableNamesExists() throws IOException {
        int checked = 0;
        for (Row row : rows(Files.readString(PAGE))) {
            Matcher m = REFERENCE.matcher(row.jasyncio() + " " + row.notes());
            while (m.find()) {
                String problem = missing(m.group(1), m.group(2));
                assertEquals(null, problem, row.name() + ": " + m.group());
                checked++;
            }
        }
        assertTrue(checked >= 120, "references checked: " + checked);
    }

    @Test
    void theCheckCatchesANameThatDoesNotExist() {
        assertEquals(null, missing("org.jasyncio.Asyncio", "gather"));
        assertEquals(null, missing("org.jasyncio.ReturnWhen", "FIRST_COMPLETED"));
        assertEquals(null, missing("org.jasyncio.EventLoop", "EventLoop"));
        assertEquals(null, missing("org.jasyncio.net.Transport", "write"));
        assertEquals("no public member noSuchThing", missing("org.jasyncio.Asyncio", "noSuchThing"));
        assertEquals("no class org.jasyncio.NoSuchClass", missing("org.jasyncio.NoSuchClass", null));
        assertEquals("no public constructor", missing("org.jasyncio.Asyncio", "Asyncio"));
        assertEquals("not public", missing("org.jasyncio.Sleep", null));
        List<Row> rows = rows(SECTION + "\n\n| a | b | c | d |\n|---|---|---|---|\n"
                + "| `x` | m | `org.jasyncio.Task` | n |\n\n## next\n| `y` | m | none | n |\n");
        assertEquals(List.of(new Row("x", "m", "`org.jasyncio.Task`", "n")), rows);
    }

    /** Null if the class (and member) exists and is public, else what is missing. */
    static String missing(String className, String member) {
        Class<?> type;
        try {
            type = Class.forName(className, false, AsyncioMappingDocTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "no class " + className;
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            return "not public";
        }
        if (member == null) {
            return null;
        }
        if (member.equals(type.getSimpleName())) {
            return type.getConstructors().length > 0 ? null : "no public constructor";
        }
        boolean found = Arrays.stream(type.getMethods()).anyMatch(method -> method.getName().equals(member))
                || Arrays.stream(type.getFields()).anyMatch(field -> field.getName().equals(member));
        return found ? null : "no public member " + member;
    }

    /** The rows of the section's table. */
    static List<Row> rows(String page) {
        int start = page.indexOf(SECTION);
        assertTrue(start >= 0, "the page has the section " + SECTION);
        int end = page.indexOf("\n## ", start + SECTION.length());
        String section = end < 0 ? page.substring(start) : page.substring(start, end);
        List<Row> rows = new ArrayList<>();
        for (String line : section.lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            assertEquals(4, cells.length, "a row has four cells: " + line);
            String name = cells[0].strip();
            assertTrue(name.length() > 2 && name.endsWith("`"), "the first cell is a name in backquotes: " + line);
            rows.add(new Row(name.substring(1, name.length() - 1), cells[1].strip(), cells[2].strip(),
                    cells[3].strip()));
        }
        assertFalse(rows.isEmpty(), "the section has its table");
        return rows;
    }
}
