package org.jasyncio.bench.echo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code echo} workload: for each server (jasyncio's protocol-level and streams servers,
 * virtual threads with blocking sockets, Netty NIO on one thread), the same
 * {@link EchoLoadGenerator} keeps C connections busy with 64-byte messages for a bounded time.
 * Prints one line per server:
 * {@code RESULT peer=<peer> workload=echo n=<C> seconds=<s> rate=<msgs/s> p50_us=<..> p99_us=<..> server_cpu_us=<..>}
 * where {@code server_cpu_us} is server CPU time per message.
 *
 * <p>Standalone:
 * {@code java -cp ... org.jasyncio.bench.echo.EchoWorkload [peer|all|loops] [C] [seconds] [warmup]}.
 */
public final class EchoWorkload {

    /** Every peer of {@code all}, in the order they are measured. */
    public static final List<String> PEERS = List.of("jasyncio-protocol", "jasyncio-streams", "java-vthreads",
            "netty-nio");

    /**
     * The peers of {@code loops}: jasyncio's servers on one loop and on two loops sharing the
     * port ({@link org.jasyncio.net.ServerGroup}), in the order they are measured.
     */
    public static final List<String> LOOP_PEERS = List.of("jasyncio-protocol", "jasyncio-protocol-2loops",
            "jasyncio-streams", "jasyncio-streams-2loops");

    private static final int BACKLOG = 1024;
    /** The warm-up before the measured window, unless the caller gives one (0 for a cold run). */
    public static final double WARMUP_SECONDS = 2.0;

    private EchoWorkload() {
    }

    /**
     * Measures one peer (or {@code "all"} or {@code "loops"}, one after the other in this JVM)
     * with C connections for {@code seconds} after a warm-up of {@link #WARMUP_SECONDS}, and
     * prints a RESULT line per peer.
     *
     * @param peer        a name from {@link #PEERS} or {@link #LOOP_PEERS}, "all" or "loops"
     * @param connections C
     * @param seconds     the measured window
     * @return the RESULT lines printed
     * @throws Exception if a server or the generator fails
     */
    public static List<String> run(String peer, int connections, double seconds) throws Exception {
        return run(peer, connections, seconds, WARMUP_SECONDS);
    }

    /**
     * {@link #run(String, int, double)} with the warm-up given: 0 measures from the first
     * message, as a cold run does.
     *
     * @param peer          a name from {@link #PEERS} or {@link #LOOP_PEERS}, "all" or "loops"
     * @param connections   C
     * @param seconds       the measured window
     * @param warmupSeconds the time under load before the window, 0 or more
     * @return the RESULT lines printed
     * @throws Exception if a server or the generator fails
     */
    public static List<String> run(String peer, int connections, double seconds, double warmupSeconds)
            throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> peers = switch (peer) {
            case "all" -> PEERS;
            case "loops" -> LOOP_PEERS;
            default -> List.of(peer);
        };
        for (String p : peers) {
            String line = measure(create(p), connections, seconds, warmupSeconds);
            System.out.println(line);
            lines.add(line);
        }
        return lines;
    }

    private static EchoPeer create(String name) {
        return switch (name) {
            case "jasyncio-protocol" -> new JasyncioEchoPeer(false, 1);
            case "jasyncio-streams" -> new JasyncioEchoPeer(true, 1);
            case "jasyncio-protocol-2loops" -> new JasyncioEchoPeer(false, 2);
            case "jasyncio-streams-2loops" -> new JasyncioEchoPeer(true, 2);
            case "java-vthreads" -> new VirtualThreadEchoPeer();
            case "netty-nio" -> new NettyEchoPeer();
            default -> throw new IllegalArgumentException("unknown echo peer " + name + "; one of " + PEERS + " or "
                    + LOOP_PEERS);
        };
    }

    private static String measure(EchoPeer server, int connections, double seconds, double warmupSeconds)
            throws Exception {
        int port = server.start(BACKLOG);
        EchoLoadGenerator.Result r;
        try {
            r = EchoLoadGenerator.run(port, connections, warmupSeconds, seconds);
        } finally {
            server.stop();
        }
        return String.format(Locale.ROOT,
                "RESULT peer=%s workload=echo n=%d seconds=%.3f rate=%.0f p50_us=%.0f p99_us=%.0f server_cpu_us=%.2f",
                server.name(), connections, r.seconds(), r.rate(), r.p50Nanos() / 1e3, r.p99Nanos() / 1e3,
                r.serverCpuSeconds() * 1e6 / Math.max(1, r.messages()));
    }

    /**
     * Standalone entry.
     *
     * @param args peer (default all), C (default 100 then 1000), seconds (default 5), warm-up
     *             seconds (default {@link #WARMUP_SECONDS})
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        String peer = args.length > 0 ? args[0] : "all";
        List<Integer> cs = args.length > 1 ? List.of(Integer.parseInt(args[1])) : List.of(100, 1000);
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5.0;
        double warmup = args.length > 3 ? Double.parseDouble(args[3]) : WARMUP_SECONDS;
        for (int c : cs) {
            run(peer, c, seconds, warmup);
        }
    }
}
