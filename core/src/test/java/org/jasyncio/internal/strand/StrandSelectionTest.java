package org.jasyncio.internal.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which strand runs, and how the choice is made. */
class StrandSelectionTest {

    @Test
    void theActiveStrandIsTheOneThisRunExpects() {
        // Surefire runs the suite once per strand and says which one it expects: a
        // misconfigured run must not pass as the other strand.
        String expected = System.getProperty("jasyncio.expectedStrand");
        if (expected == null) {
            expected = System.getProperty(Strands.PROPERTY, "continuation");
        }
        assertEquals(expected, Strands.factory().name());
    }

    @Test
    void virtualIsAlwaysAvailableOnRequest() {
        assertInstanceOf(VirtualThreadStrand.Factory.class, Strands.choose("virtual"));
    }

    @Test
    void unknownStrandNameIsAPreciseError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Strands.choose("green"));
        assertTrue(e.getMessage().contains("continuation or virtual"), e.getMessage());
    }

    @Test
    void continuationIsUsableUnderTheTestFlags() {
        // Surefire passes the export flag to both executions.
        assertEquals(null, ContinuationAccess.unavailability());
        assertInstanceOf(ContinuationStrand.Factory.class, Strands.choose("continuation"));
        assertInstanceOf(ContinuationStrand.Factory.class, Strands.choose(null));
    }
}
