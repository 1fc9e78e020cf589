package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
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

    // ------------------------------------------------------------------ with a stand-in key

    /** A key whose ready operations the test sets, on a real channel (for the interest set). */
    private static final class FakeKey extends SelectionKey {
        final SelectableChannel channel;
        boolean valid = true;
        int ready;
        boolean cancelledOnRead;

        FakeKey(SelectableChannel channel) {
            this.channel = channel;
        }

        @Override
        public SelectableChannel channel() {
            return channel;
        }

        @Override
        public Selector selector() {
            return null;
        }

        @Override
        public boolean isValid() {
            return valid;
        }

        @Override
        public void cancel() {
            valid = false;
        }

        @Override
        public int interestOps() {
            return 0;
        }

        @Override
        public SelectionKey interestOps(int ops) {
            return this;
        }

        @Override
        public int readyOps() {
            if (cancelledOnRead) {
                valid = false;
                throw new CancelledKeyException();
            }
            return ready;
        }
    }

    private FakeKey fakeKey(int pipe) {
        FakeKey key = new FakeKey(pipes.get(pipe).source());
        key.attach(new IoRegistration(key));
        return key;
    }

    private static IoRegistration registration(FakeKey key) {
        return (IoRegistration) key.attachment();
    }

    @Test
    void readinessReportedInTwoPartsQueuesTheReaderAndTheWriterOnceEach() {
        // Selector.select(Consumer) may report one key twice, each time with other operations
        // (kqueue: one call per filter); the operations are taken when reported.
        ReadyKeys rk = new ReadyKeys();
        FakeKey key = fakeKey(0);
        Handle reader = new Handle(loop, () -> { });
        Handle writer = new Handle(loop, () -> { });
        registration(key).set(IoRegistration.READ, reader, rk.generation());
        registration(key).set(IoRegistration.WRITE, writer, rk.generation());
        rk.beginSelect();
        key.ready = SelectionKey.OP_READ;
        rk.accept(key);
        key.ready = SelectionKey.OP_WRITE;
        rk.accept(key);
        ArrayDeque<ReadyItem> ready = new ArrayDeque<>();
        rk.handOut(ready);
        assertEquals(List.of(reader, writer), new ArrayList<>(ready));
        assertTrue(rk.isEmpty());
    }

    @Test
    void aKeyCancelledByAnotherThreadIsSkippedAndTheRestStillHandedOut() {
        // A channel may be closed from any thread: its key is dropped, the loop goes on.
        ReadyKeys rk = new ReadyKeys();
        List<Handle> readers = new ArrayList<>();
        List<FakeKey> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FakeKey key = fakeKey(i);
            Handle h = new Handle(loop, () -> { });
            registration(key).set(IoRegistration.READ, h, rk.generation());
            readers.add(h);
            keys.add(key);
        }
        rk.beginSelect();
        for (FakeKey key : keys) {
            key.ready = SelectionKey.OP_READ;
        }
        keys.get(1).cancelledOnRead = true; // cancelled while the select reports it
        for (FakeKey key : keys) {
            rk.accept(key);
        }
        keys.get(2).valid = false; // cancelled after the select, before its turn
        ArrayDeque<ReadyItem> ready = new ArrayDeque<>();
        rk.handOut(ready);
        assertEquals(List.of(readers.get(0), readers.get(3)), new ArrayList<>(ready));
        assertTrue(rk.isEmpty());
    }

    @Test
    void aReaderSetAfterTheSelectWaitsForTheNextSelect() {
        // asyncio matches readiness to the readers present right after the select: a reader
        // added (or replaced) later is not run on that select's readiness.
        ReadyKeys rk = new ReadyKeys();
        FakeKey key = fakeKey(0);
        rk.beginSelect();
        key.ready = SelectionKey.OP_READ;
        rk.accept(key);
        Handle late = new Handle(loop, () -> { });
        registration(key).set(IoRegistration.READ, late, rk.generation());
        ArrayDeque<ReadyItem> ready = new ArrayDeque<>();
        rk.handOut(ready);
        assertEquals(0, ready.size(), "a reader set after the select ran on its readiness");
        rk.beginSelect();
        rk.accept(key);
        rk.handOut(ready);
        assertEquals(List.of(late), new ArrayList<>(ready));
    }
}
