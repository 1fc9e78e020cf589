package org.jasyncio.tools;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code ./jasyncio ps PID} and {@code ./jasyncio pstree PID}: prints the tasks of every
 * jasyncio event loop of a running JVM, as a table or as a tree by who awaits whom. asyncio
 * 3.14's {@code python -m asyncio ps PID} and {@code python -m asyncio pstree PID}.
 *
 * <p>How: the JDK's attach API ({@code jdk.attach}) starts the target JVM's local management
 * agent, this tool connects to it over JMX, finds the {@code org.jasyncio:type=EventLoop,id=N}
 * beans each running loop registers (see {@code org.jasyncio.EventLoopMXBean}) and calls
 * their {@code dumpTasks} or {@code dumpTaskTree} operation. The target needs nothing on its
 * command line; it must run as the same user, on a JDK with attach enabled (the default), and
 * its loops must have been running for a second (the delay before a loop registers).
 *
 * <p>Exit status: 0 when at least one loop was printed; 1 when the process cannot be attached
 * to (no such process, not a JVM, another user) or runs no jasyncio loop; 2 for a usage error.
 * Messages go to standard error.
 */
public final class Ps {

    private static final String USAGE = "usage: ps PID | pstree PID   (the tasks of every jasyncio event loop of a"
            + " running JVM, as a table or as a tree)";

    private Ps() {
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args {@code ps PID} or {@code pstree PID}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool without exiting: prints to {@code out} and {@code err}.
     *
     * @param args {@code ps PID} or {@code pstree PID}
     * @param out  where the dumps go
     * @param err  where messages go
     * @return the exit status: 0 printed, 1 nothing to print (see the class comment), 2 usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !(args[0].equals("ps") || args[0].equals("pstree"))) {
            err.println(USAGE);
            return 2;
        }
        long pid;
        try {
            pid = Long.parseLong(args[1]);
        } catch (NumberFormatException e) {
            err.println("not a process id: " + args[1]);
            err.println(USAGE);
            return 2;
        }
        String operation = args[0].equals("ps") ? "dumpTasks" : "dumpTaskTree";
        String url;
        try {
            url = localAgentOf(pid);
        } catch (AttachNotSupportedException | IOException | RuntimeException e) {
            err.println("cannot attach to process " + pid + ": " + reason(pid, e));
            return 1;
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            List<ObjectName> loops = new ArrayList<>(server.queryNames(new ObjectName("org.jasyncio:type=EventLoop,*"), null));
            if (loops.isEmpty()) {
                err.println("process " + pid + " runs no jasyncio event loop (a loop shows here once it has run for a"
                        + " second; is it a jasyncio program?)");
                return 1;
            }
            loops.sort(Comparator.comparingLong(Ps::idOf));
            int printed = 0;
            for (ObjectName loop : loops) {
                String dump;
                try {
                    dump = (String) server.invoke(loop, operation, null, null);
                } catch (JMException e) {
                    continue; // the loop stopped between the query and the call
                }
                if (printed++ > 0) {
                    out.println();
                }
                out.print(dump);
            }
            if (printed == 0) {
                err.println("process " + pid + ": its event loops stopped while being read");
                return 1;
            }
            out.flush();
            return 0;
        } catch (IOException | JMException e) {
            err.println("cannot read the event loops of process " + pid + ": " + e);
            return 1;
        }
    }

    /** Attaches, starts (or finds) the local management agent, detaches; its JMX address. */
    private static String localAgentOf(long pid) throws AttachNotSupportedException, IOException {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
    }

    private static String reason(long pid, Exception e) {
        if (pid == ProcessHandle.current().pid()) {
            return "it is this tool's own JVM (run the tool from another process)";
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            return "no such process";
        }
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m)
                + " (is it a JVM of this user, started without -XX:+DisableAttachMechanism?)";
    }

    private static long idOf(ObjectName n) {
        try {
            return Long.parseLong(n.getKeyProperty("id"));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
