/**
 * jasyncio: Python's asyncio for Java 25. One package per group of asyncio modules, each
 * depending only on those below it: {@code org.jasyncio} (the loop, futures, tasks and their
 * composition) at the bottom, {@code org.jasyncio.sync} (locks and queues) and
 * {@code org.jasyncio.net} (transports and protocols) on it, {@code org.jasyncio.streams} on
 * {@code net}, {@code org.jasyncio.process} on {@code streams}. The packages under
 * {@code org.jasyncio.internal} are not exported. The modules required beyond
 * {@code java.base} are {@code java.management}, for the {@code EventLoopMXBean} each running
 * loop registers and debug mode's check of the monitors a suspending task holds,
 * {@code jdk.jfr}, for jasyncio's flight-recorder events, and {@code jdk.unsupported}, for the
 * JVM's signal API ({@code sun.misc.Signal}) behind Ctrl-C handling and
 * {@code EventLoop.addSignalHandler}.
 */
module org.jasyncio {
    requires java.management; // the EventLoopMXBean; debug mode's look at the monitors a suspending task holds
    requires jdk.jfr;         // the JFR events (LoopEvents)
    requires jdk.unsupported; // sun.misc.Signal: Ctrl-C in Runner.run, EventLoop.addSignalHandler

    exports org.jasyncio;
    exports org.jasyncio.net;
    exports org.jasyncio.sync;
    exports org.jasyncio.streams;
    exports org.jasyncio.process;
}
