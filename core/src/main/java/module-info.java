/**
 * jasyncio: Python's asyncio for Java 25. One package per group of asyncio modules, each
 * depending only on those below it: {@code org.jasyncio} (the loop, futures, tasks and their
 * composition) at the bottom, {@code org.jasyncio.sync} (locks and queues) and
 * {@code org.jasyncio.net} (transports and protocols) on it, {@code org.jasyncio.streams} on
 * {@code net}, {@code org.jasyncio.process} on {@code streams}. The packages under
 * {@code org.jasyncio.internal} are not exported.
 */
module org.jasyncio {
    requires java.management; // debug mode: the monitors a task's thread holds when it suspends
    requires jdk.jfr;         // the JFR events (LoopEvents)

    exports org.jasyncio;
    exports org.jasyncio.net;
    exports org.jasyncio.sync;
    exports org.jasyncio.streams;
    exports org.jasyncio.process;
}
