package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * callSoonThreadsafe wakes an idle loop in both ways it can wait: parked (no channel
 * registered) and blocked in the selector (a channel registered, no timer).
 */
class CallSoonThreadsafeWakeupTest {

    private static String wakeFromAnotherThread(EventLoop loop) throws Exception {
        Thread t = Thread.ofPlatform().start(loop::runForever);
        Thread.sleep(20); // let it go idle
        CompletableFuture<String> ran = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> ran.complete("woken"));
        String s = ran.get(5, TimeUnit.SECONDS);
        loop.callSoonThreadsafe(loop::stop);
        t.join(5000);
        assertTrue(!t.isAlive());
        return s;
    }

    @Test
    void wakesALoopWaitingWithoutChannels() throws Exception {
        EventLoop loop = new EventLoop();
        try {
            assertEquals("woken", wakeFromAnotherThread(loop));
        } finally {
            loop.close();
        }
    }

    @Test
    void wakesALoopWaitingInTheSelector() throws Exception {
        EventLoop loop = new EventLoop();
        Pipe pipe = Pipe.open();
        try {
            loop.addReader(pipe.source(), () -> { });
            assertEquals("woken", wakeFromAnotherThread(loop));
        } finally {
            loop.close();
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void wakesALoopParkedUntilATimer() throws Exception {
        EventLoop loop = new EventLoop();
        try {
            loop.callLater(60, () -> { });
            assertEquals("woken", wakeFromAnotherThread(loop));
        } finally {
            loop.close();
        }
    }
}
