package org.jasyncio.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jasyncio.AsyncTimeoutException;
import org.jasyncio.Asyncio;
import org.jasyncio.ScheduleStrategy;
import org.junit.jupiter.api.Test;

/**
 * A timeout that fires between two steps: a transfer debits the payer, makes two calls to the
 * payee's bank (about 500 ms each), then credits the payee, all under a 1 s
 * {@code Asyncio.timeout}. When the calls run a little late the timeout cancels the transfer
 * after the debit and before the credit: the money is gone from one account and never reaches
 * the other.
 *
 * <p>In the plain run the two calls take exactly 999 ms and the transfer completes before the
 * deadline. Under a seed each call's sleep is jittered by up to 1 ms while the timeout's deadline
 * ({@code callAt}, an absolute time) is not, so about half the schedules run past it. It relies
 * on asyncio's cancellation semantics: a timeout cancels the body at whatever await it is
 * suspended in. The fix makes no change before the last await: both remote calls first, then
 * debit and credit in one step, so a timeout leaves nothing half done.
 */
class TimeoutBetweenStepsTest {

    static final class Bank {
        long alice = 10_000;
        long bob = 10_000;
    }

    /** One call to the payee's bank. */
    static void remoteCall() {
        Asyncio.sleep(0.4995);
    }

    static void transferDebitFirst(Bank bank, long cents) {
        bank.alice -= cents;
        remoteCall(); // authorize
        remoteCall(); // post
        bank.bob += cents;
    }

    static void transferCommitLast(Bank bank, long cents) {
        remoteCall(); // authorize
        remoteCall(); // post
        bank.alice -= cents; // both sides in one step: no await between them
        bank.bob += cents;
    }

    interface Transfer {
        void run(Bank bank, long cents);
    }

    static void transferWithinSla(Transfer transfer) {
        Bank bank = new Bank();
        try {
            Asyncio.timeout(1.0, () -> transfer.run(bank, 2_500));
        } catch (AsyncTimeoutException e) {
            // The client is told the transfer failed and may retry: fine, if nothing moved.
        }
        assertEquals(20_000, bank.alice + bank.bob, "money vanished: alice " + bank.alice + ", bob " + bank.bob);
    }

    static void buggy() {
        transferWithinSla(TimeoutBetweenStepsTest::transferDebitFirst);
    }

    static void fixed() {
        transferWithinSla(TimeoutBetweenStepsTest::transferCommitLast);
    }

    @Test
    void thePlainRunPasses() {
        Gallery.assertPlainRunPasses(TimeoutBetweenStepsTest::buggy);
    }

    @Test
    void explorationFindsTheHalfDoneTransferAndItsSeedReplays() {
        Gallery.assertFoundAndReplays("timeout-between-steps", ScheduleStrategy.RANDOM, TimeoutBetweenStepsTest::buggy);
    }

    @Test
    void committingAfterTheLastAwaitPassesEverySchedule() {
        Gallery.assertPassesUnderExploration(TimeoutBetweenStepsTest::fixed, Gallery.FIXED_SCHEDULES);
    }
}
