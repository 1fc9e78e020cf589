package org.jasyncio.gallery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.jasyncio.Asyncio;
import org.jasyncio.EventLoop;
import org.jasyncio.Future;
import org.jasyncio.ScheduleStrategy;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;

/**
 * A lost update: the nightly interest job reads the balance, awaits the rates service, and
 * writes back balance + interest computed from what it read. A salary deposit booked while it
 * awaits is overwritten: the customer's money vanishes.
 *
 * <p>A cron starts both jobs as tasks at midnight with {@code callAt}, so their timers have the
 * very same deadline (no jitter: {@code callAt} is an absolute time); asyncio runs such timers in
 * scheduling order, and payroll was registered first, so in the plain run the deposit task runs
 * before the interest task reads. Under a seed the two timers are due together and may come in
 * either order (a genuine choice point, where PCT's priorities matter, unlike the races between
 * jittered sleeps of the other bugs). The fix does the read-modify-write after the await, in one
 * step: {@code rate = await rates(); balance += interest(balance, rate)}.
 */
class LostUpdateTest {

    static final double MIDNIGHT = 86_400;

    /** A bank account, in cents. */
    static final class Account {
        long balance = 100_000;
    }

    /** The rates service: answers in 50 ms, 1% tonight. */
    static int ratePercent() {
        Asyncio.sleep(0.05);
        return 1;
    }

    static void interestNaively(Account account) {
        long read = account.balance;
        int rate = ratePercent();
        account.balance = read + read * rate / 100; // writes back what it read before the await
    }

    static void interestAtomically(Account account) {
        int rate = ratePercent();
        account.balance += account.balance * rate / 100; // read and write in one step
    }

    interface InterestJob {
        void run(Account account);
    }

    /** A cron: at {@code when} it starts {@code job} as a task, as job schedulers do. */
    static Task<Void> cron(double when, Runnable job) {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Task<Void>> started = loop.createFuture();
        loop.callAt(when, () -> started.setResult(loop.createTask(() -> {
            job.run();
            return null;
        })));
        return Asyncio.createTask(() -> started.await().await());
    }

    static void nightlyJobs(InterestJob interest) {
        Account account = new Account();
        // Payroll was registered with the cron first; both jobs run at midnight.
        Task<Void> payroll = cron(MIDNIGHT, () -> account.balance += 50_000);
        Task<Void> interestJob = cron(MIDNIGHT, () -> interest.run(account));
        payroll.await();
        interestJob.await();
        // Either serial order is fine: deposit then interest (151,500) or interest then deposit (151,000).
        assertTrue(Set.of(151_500L, 151_000L).contains(account.balance),
                "the salary deposit was lost: balance " + account.balance + " cents");
    }

    static void buggy() {
        nightlyJobs(LostUpdateTest::interestNaively);
    }

    static void fixed() {
        nightlyJobs(LostUpdateTest::interestAtomically);
    }

    @Test
    void thePlainRunPasses() {
        Gallery.assertPlainRunPasses(LostUpdateTest::buggy);
    }

    @Test
    void explorationFindsTheLostDepositAndItsSeedReplays() {
        // Both strategies choose between the two midnight timers; PCT is asserted here.
        Gallery.assertFoundAndReplays("lost-update", ScheduleStrategy.PCT, LostUpdateTest::buggy);
    }

    @Test
    void readModifyWriteInOneStepPassesEverySchedule() {
        Gallery.assertPassesUnderExploration(LostUpdateTest::fixed, Gallery.FIXED_SCHEDULES);
    }
}
