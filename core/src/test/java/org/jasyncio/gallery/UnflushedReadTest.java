package org.jasyncio.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jasyncio.Asyncio;
import org.jasyncio.ScheduleStrategy;
import org.jasyncio.Task;
import org.jasyncio.sync.Event;
import org.junit.jupiter.api.Test;

/**
 * A shared buffer read before the writer's flush completes: an exporter writes a CSV report to a
 * file chunk by chunk ({@code write(chunk); await flush()}, each flush taking 10 ms), and an
 * uploader, started at the same time, assumes the file is complete after "3 chunks × 10 ms plus
 * 0.5 ms of slack" and uploads what the file holds. When the flushes run a little late, it
 * uploads a truncated report.
 *
 * <p>In the plain run every sleep ends exactly on its deadline, so the last flush completes at
 * 30 ms, before the uploader wakes at 30.5 ms. Exploration jitters each timer by up to 1 ms, as
 * a loaded machine would: three flushes can run 0.5 ms later than one sleep. It relies on
 * nothing but timer deadlines; the bug is the assumption that time orders two tasks. The fix:
 * the uploader waits for the exporter's "flushed" {@link Event}, not for a duration.
 */
class UnflushedReadTest {

    static final List<String> ROWS = List.of("id,amount\n", "1,4500\n", "2,1200\n");

    /** A file written through a buffer: {@code flush()} takes 10 ms to put the buffer on disk. */
    static final class BufferedFile {
        final StringBuilder onDisk = new StringBuilder();
        final StringBuilder buffer = new StringBuilder();

        void write(String s) {
            buffer.append(s);
        }

        void flush() {
            Asyncio.sleep(0.01);
            onDisk.append(buffer);
            buffer.setLength(0);
        }
    }

    static void export(BufferedFile file, Event flushed) {
        for (String row : ROWS) {
            file.write(row);
            file.flush();
        }
        flushed.set();
    }

    interface Uploader {
        String upload(BufferedFile file, Event flushed);
    }

    /** The bug: "the export takes 30 ms", plus a little slack. */
    static String uploadAfterExpectedTime(BufferedFile file, Event flushed) {
        Asyncio.sleep(ROWS.size() * 0.01 + 0.0005);
        return file.onDisk.toString();
    }

    /** The fix: wait for the exporter to say the file is flushed. */
    static String uploadWhenFlushed(BufferedFile file, Event flushed) {
        flushed.await();
        return file.onDisk.toString();
    }

    static void nightlyExport(Uploader uploader) {
        BufferedFile file = new BufferedFile();
        Event flushed = new Event();
        Task<Void> exporter = Asyncio.createTask(() -> export(file, flushed), "exporter");
        Task<String> upload = Asyncio.createTask(() -> uploader.upload(file, flushed), "uploader");
        String uploaded = upload.await();
        exporter.await();
        assertEquals(String.join("", ROWS), uploaded, "a truncated report was uploaded");
    }

    static void buggy() {
        nightlyExport(UnflushedReadTest::uploadAfterExpectedTime);
    }

    static void fixed() {
        nightlyExport(UnflushedReadTest::uploadWhenFlushed);
    }

    @Test
    void thePlainRunPasses() {
        Gallery.assertPlainRunPasses(UnflushedReadTest::buggy);
    }

    @Test
    void explorationFindsTheTruncatedUploadAndItsSeedReplays() {
        Gallery.assertFoundAndReplays("unflushed-read", ScheduleStrategy.RANDOM, UnflushedReadTest::buggy);
    }

    @Test
    void waitingForTheFlushPassesEverySchedule() {
        Gallery.assertPassesUnderExploration(UnflushedReadTest::fixed, Gallery.FIXED_SCHEDULES);
    }
}
