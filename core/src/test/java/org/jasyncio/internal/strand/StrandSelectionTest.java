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
    void onTheClassPathTheFlagExportsToAllUnnamed() {
        // Every class on the class path is in the one unnamed module: a qualified export must
        // say ALL-UNNAMED there, or the lookup still fails.
        assertEquals("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED",
                ContinuationAccess.exportFlag(ClassLoader.getSystemClassLoader().getUnnamedModule()));
    }

    @Test
    void inANamedModuleTheFlagExportsToThatModule() {
        // On the module path the lookup is done by module org.jasyncio, which the export must name.
        assertEquals("--add-exports java.base/jdk.internal.vm=java.logging",
                ContinuationAccess.exportFlag(java.util.logging.Logger.class.getModule()));
        assertEquals("--add-exports java.base/jdk.internal.vm=java.base",
                ContinuationAccess.exportFlag(Object.class.getModule()));
    }

    @Test
    void theMessagesNameTheFlagForHowThisRunLoadedJasyncio() {
        // Surefire runs the tests from the class path (useModulePath=false); the module-path
        // case runs in a child JVM in StrandFallbackTest.
        assertEquals(false, Strands.class.getModule().isNamed());
        assertEquals("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED", ContinuationAccess.EXPORT_FLAG);
    }

    @Test
    void continuationIsUsableUnderTheTestFlags() {
        // Surefire passes the export flag to both executions.
        assertEquals(null, ContinuationAccess.unavailability());
        assertInstanceOf(ContinuationStrand.Factory.class, Strands.choose("continuation"));
        assertInstanceOf(ContinuationStrand.Factory.class, Strands.choose(null));
    }
}
