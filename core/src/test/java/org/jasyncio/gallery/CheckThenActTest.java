package org.jasyncio.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jasyncio.Asyncio;
import org.jasyncio.ScheduleStrategy;
import org.jasyncio.Task;
import org.junit.jupiter.api.Test;

/**
 * Check-then-act across an await: a booking service checks that a seat is free, awaits the
 * payment gateway, then takes the seat. Two customers who click 200 ms apart, while a payment
 * takes 200 ms, can both pass the check before either takes the seat: the seat is sold twice.
 *
 * <p>It relies on asyncio's timer order: two sleeps due at the same instant fire in the order
 * they were scheduled, so in the plain run the first customer's payment completes (and the seat
 * is taken) before the second customer's click is handled. Schedule exploration jitters the two
 * deadlines, and when the click comes first the second check passes too. The fix takes the seat
 * (a hold) in the same step as the check, before any await, and gives it back if the payment
 * fails.
 */
class CheckThenActTest {

    /** The payment gateway: each charge takes 200 ms. */
    static final class PaymentGateway {
        final List<String> charges = new ArrayList<>();

        void charge(String customer, int cents) {
            Asyncio.sleep(0.2);
            charges.add(customer + ":" + cents);
        }
    }

    /** The venue's seats and the tickets it issued. */
    static final class Venue {
        final Set<String> free = new HashSet<>(Set.of("12A"));
        final List<String> tickets = new ArrayList<>();
        final PaymentGateway payments = new PaymentGateway();

        /** The bug: the check and the act are separated by the payment's await. */
        String bookNaively(String customer, String seat) {
            if (!free.contains(seat)) {
                return "sold out";
            }
            payments.charge(customer, 4_500);
            free.remove(seat);
            tickets.add(seat + " for " + customer);
            return "booked";
        }

        /** The fix: hold the seat in the same step as the check; release the hold if payment fails. */
        String bookWithHold(String customer, String seat) {
            if (!free.remove(seat)) { // check and act, no await in between
                return "sold out";
            }
            try {
                payments.charge(customer, 4_500);
            } catch (RuntimeException | Error e) {
                free.add(seat);
                throw e;
            }
            tickets.add(seat + " for " + customer);
            return "booked";
        }
    }

    interface Booking {
        String book(Venue venue, String customer, String seat);
    }

    /** Alice clicks at once; Bob's page takes 200 ms to load, as long as Alice's payment. */
    static void lastSeat(Booking booking) {
        Venue venue = new Venue();
        Task<String> alice = Asyncio.createTask(() -> booking.book(venue, "alice", "12A"));
        Task<String> bob = Asyncio.createTask(() -> {
            Asyncio.sleep(0.2);
            return booking.book(venue, "bob", "12A");
        });
        alice.await();
        bob.await();
        assertEquals(1, venue.tickets.size(), "seat 12A was sold twice: " + venue.tickets
                + ", cards charged: " + venue.payments.charges);
    }

    static void buggy() {
        lastSeat(Venue::bookNaively);
    }

    static void fixed() {
        lastSeat(Venue::bookWithHold);
    }

    @Test
    void thePlainRunPasses() {
        Gallery.assertPlainRunPasses(CheckThenActTest::buggy);
    }

    @Test
    void explorationFindsTheDoubleBookingAndItsSeedReplays() {
        // Found by RANDOM (and PCT alike: the race is decided by timer jitter, drawn the same way).
        Gallery.assertFoundAndReplays("check-then-act", ScheduleStrategy.RANDOM, CheckThenActTest::buggy);
    }

    @Test
    void holdingTheSeatBeforeTheAwaitPassesEverySchedule() {
        Gallery.assertPassesUnderExploration(CheckThenActTest::fixed, Gallery.FIXED_SCHEDULES);
    }
}
