package org.jasyncio;

/**
 * The management interface of a running {@link EventLoop}: what {@code ./jasyncio ps PID}
 * and {@code ./jasyncio pstree PID} read from outside the process, and what JConsole or
 * VisualVM show under {@code org.jasyncio}. asyncio 3.14 has no such object: its
 * {@code python -m asyncio ps PID} reads the process's memory instead.
 *
 * <p>Each loop registers one in the platform MBean server while it runs: once
 * {@link EventLoop#runForever()} (so also {@code runUntilComplete} and {@code Asyncio.run})
 * has been running for a second, until it returns or the loop is closed, as
 * {@code org.jasyncio:type=EventLoop,id=N} with {@code N} numbering the loops of the process
 * from 1. The second keeps short runs free of JMX's cost (the platform MBean server takes
 * from 0.1 to 1 s of CPU to start); {@code -Djasyncio.jmx.delay=0} registers at once (in
 * milliseconds), {@code -Djasyncio.jmx=false} registers nothing.
 *
 * <p>Threads: every method may be called from any thread (JMX calls come on the JMX
 * connector's threads). The dumps are made on the loop thread; see
 * {@link EventLoop#dumpTasks()} for a loop that does not answer.
 */
public interface EventLoopMXBean {

    /**
     * The loop's number in this process, the {@code id} of its {@code ObjectName}.
     *
     * @return the number, from 1
     */
    long getId();

    /**
     * The name of the thread the loop runs on.
     *
     * @return the thread's name, or null if the loop is not running
     */
    String getThreadName();

    /**
     * The strand kind suspending the loop's tasks: {@code continuation} or {@code virtual}.
     *
     * @return the strand's name
     */
    String getStrand();

    /**
     * How many tasks of the loop are not done; read without the loop's help, so possibly a
     * moment old.
     *
     * @return the number of pending tasks
     */
    int getTaskCount();

    /**
     * The loop's tasks as a table: {@link EventLoop#dumpTasks()}.
     *
     * @return the table
     */
    String dumpTasks();

    /**
     * The loop's tasks as a tree by who awaits whom: {@link EventLoop#dumpTaskTree()}.
     *
     * @return the tree
     */
    String dumpTaskTree();
}
