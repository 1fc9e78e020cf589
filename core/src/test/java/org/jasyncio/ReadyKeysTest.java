package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop hands ready channels to the ready queue {@link ReadyKeys#SLICE} at a time; none of
 * asyncio's guarantees may suffer from it: every ready channel is served, a reader removed
 * (or a channel closed) before its turn does not run, and stopping the loop loses nothing.
 */
class ReadyKeysTest {

    /** More ready channels than three slices hold. */
    private static final int CHANNELS = 3 * ReadyKeys.SLICE + 5;

    private final EventLoop loop = new EventLoop();
    private final List<Pipe> pipes = new ArrayList<>();

    @BeforeEach
    void openReadablePipes() throws IOException {
        for (int i = 0; i < CHANNELS; i++) {
            Pipe p = Pipe.open();
            p.sink().write(ByteBuffer.wrap(new byte[] {(byte) i}));
            pipes.add(p);
        }
    }

    @AfterEach
    void closeAll() throws IOException {
        loop.close();
        for (Pipe p : pipes) {
            p.source().close();
            p.sink().close();
        }
    }

    /** Adds to each pipe a reader that reads its byte, records it, removes itself, then runs {@code thenEach}. */
    private void addSelfRemovingReaders(List<Integer> served) {
        addSelfRemovingReaders(served, () -> { });
    }

    private void addSelfRemovingReaders(List<Integer> served, Runnable thenEach) {
        for (int i = 0; i < CHANNELS; i++) {
            Pipe.SourceChannel source = pipes.get(i).source();
            loop.addReader(source, () -> {
                ByteBuffer b = ByteBuffer.allocate(1);
                try {
                    source.read(b);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                served.add((int) b.get(0));
                loop.removeReader(source);
                thenEach.run();
            });
        }
    }

    @Test
    void everyReadyChannelIsServedExactlyOnce() {
        // asyncio's _process_events: every channel the selector reports ready gets its reader run.
        List<Integer> served = new ArrayList<>();
        addSelfRemovingReaders(served);
        loop.runUntilComplete(() -> {
            while (served.size() < CHANNELS) {
                Asyncio.sleep(0.001);
            }
            return null;
        });
        assertEquals(CHANNELS, served.size());
        assertEquals(CHANNELS, new HashSet<>(served).size(), "a reader ran twice: " + served);
    }

    @Test
    void readyChannelsAreHandedOutASliceAnIterationAndNoneWaitsLong() {
        // The loop's policy (EventLoop's class comment): at most SLICE channels turn into ready
        // handles per iteration, and the rest follow in the very next iterations.
        List<Integer> served = new ArrayList<>();
        addSelfRemovingReaders(served);
        List<Integer> perIteration = new ArrayList<>();
        loop.runUntilComplete(() -> {
            Asyncio.sleep(0.02); // every pipe is readable before the first select
            int seen = served.size();
            int iterations = 0;
            while (served.size() < CHANNELS && iterations < 1000) {
                Asyncio.sleep(0);
                iterations++;
                perIteration.add(served.size() - seen);
                seen = served.size();
            }
            return null;
        });
        assertEquals(CHANNELS, served.size());
        int slices = (CHANNELS + ReadyKeys.SLICE - 1) / ReadyKeys.SLICE;
        assertTrue(perIteration.size() <= slices + 1, "took " + perIteration.size() + " iterations: " + perIteration);
        for (int n : perIteration) {
            assertTrue(n <= ReadyKeys.SLICE, "one iteration served " + n + ": " + perIteration);
        }
    }

    @Test
    void aReaderRemovedBeforeItsTurnDoesNotRun() {
        // asyncio's remove_reader: a removed reader is not called, even when its channel was
        // already reported ready.
        Set<Integer> ran = new HashSet<>();
        for (int i = 0; i < CHANNELS; i++) {
            int id = i;
            loop.addReader(pipes.get(i).source(), () -> {
                ran.add(id);
                for (Pipe p : pipes) {
                    loop.removeReader(p.source());
                }
            });
        }
        loop.runUntilComplete(() -> {
            Asyncio.sleep(0.05);
            return null;
        });
        assertEquals(1, ran.size(), "only the first reader to run may run: " + ran);
    }

    @Test
    void aChannelClosedBeforeItsTurnIsSkippedWithoutAnError() {
        List<ExceptionContext> errors = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> errors.add(c));
        Set<Integer> ran = new HashSet<>();
        for (int i = 0; i < CHANNELS; i++) {
            int id = i;
            loop.addReader(pipes.get(i).source(), () -> {
                ran.add(id);
                for (int j = 0; j < CHANNELS; j++) {
                    if (j != id) {
                        try {
                            pipes.get(j).source().close();
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    }
                }
                loop.removeReader(pipes.get(id).source());
            });
        }
        loop.runUntilComplete(() -> {
            Asyncio.sleep(0.05);
            return null;
        });
        // The readers already handed out in that iteration still run, as in asyncio, where
        // closing a channel does not cancel its queued handle; the keys still waiting are
        // dropped.
        assertTrue(ran.size() <= ReadyKeys.SLICE, "readers of closed channels ran: " + ran);
        assertEquals(List.of(), errors);
    }

    @Test
    void stoppingWithChannelsStillToHandOutLosesNone() {
        // asyncio's stop(): the loop finishes the iteration and stops; what was ready is served
        // by the next run.
        List<Integer> served = new ArrayList<>();
        addSelfRemovingReaders(served, () -> {
            if (served.size() == 1) {
                loop.stop();
            }
        });
        loop.runForever();
        int servedBeforeStop = served.size();
        loop.runUntilComplete(() -> {
            while (served.size() < CHANNELS) {
                Asyncio.sleep(0.001);
            }
            return null;
        });
        assertTrue(servedBeforeStop < CHANNELS, "the loop stopped with channels still to hand out");
        assertEquals(CHANNELS, new HashSet<>(served).size(), "served " + served);
    }
}
