package org.jasyncio.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;

/**
 * Resolves host names off the loop, as asyncio runs {@code getaddrinfo} in its executor: an IP
 * literal is parsed at once; a name is looked up on a virtual thread whose answer comes back
 * through {@code callSoonThreadsafe}, so the loop never blocks on DNS.
 */
final class HostResolver {

    private HostResolver() {
    }

    /**
     * The addresses of {@code host}, in resolver order. Suspends the calling task while a name
     * is looked up.
     *
     * @throws UnknownHostException (unchanged, undeclared) if the name does not resolve
     */
    static List<InetAddress> resolve(EventLoop loop, String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a host name or address is required");
        }
        try {
            return List.of(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException notLiteral) {
            // a name: look it up below
        }
        Future<InetAddress[]> answer = loop.createFuture();
        Thread.ofVirtual().name("jasyncio-resolve-" + host).start(() -> {
            InetAddress[] found = null;
            Exception failure = null;
            try {
                found = InetAddress.getAllByName(host);
            } catch (Exception e) {
                failure = e;
            }
            InetAddress[] r = found;
            Exception f = failure;
            try {
                loop.callSoonThreadsafe(() -> {
                    if (answer.done()) {
                        return;
                    }
                    if (f != null) {
                        answer.setException(f);
                    } else {
                        answer.setResult(r);
                    }
                });
            } catch (IllegalStateException loopClosed) {
                // nobody waits any more
            }
        });
        return List.of(answer.await());
    }
}
