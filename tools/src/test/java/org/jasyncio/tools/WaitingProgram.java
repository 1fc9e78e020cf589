package org.jasyncio.tools;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.jasyncio.Asyncio;
import org.jasyncio.Future;
import org.jasyncio.Task;
import org.jasyncio.sync.Lock;
import org.jasyncio.sync.Queue;

/**
 * The child JVM that {@link PsTest} inspects: a jasyncio program whose tasks wait forever on a
 * queue, a sleep, a lock and each other. Prints {@code READY} once its loop's bean is
 * registered (run it with {@code -Djasyncio.jmx.delay=0}).
 */
public final class WaitingProgram {

    private WaitingProgram() {
    }

    public static void main(String[] args) {
        Asyncio.run(() -> {
            Queue<String> orders = new Queue<>();
            Lock oven = new Lock();
            Future<Void> never = new Future<>();
            Task<String> consumer = Asyncio.createTask(() -> orders.get(), "consumer");
            Asyncio.createTask(() -> Asyncio.sleep(3600), "sleeper");
            Asyncio.createTask(() -> {
                oven.acquire();
                never.await();
            }, "baker");
            Asyncio.createTask(() -> oven.acquire(), "second-baker");
            Asyncio.createTask(() -> Asyncio.gather(consumer).await(), "waiter");
            while (ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("org.jasyncio:type=EventLoop,*"), null).isEmpty()) {
                Asyncio.sleep(0.01);
            }
            System.out.println("READY");
            System.out.flush();
            never.await();
        });
    }
}
