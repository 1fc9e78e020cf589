package org.jasyncio;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The architecture, as rules that fail the build: packages depend one way (the layers of
 * docs/ARCHITECTURE.md, mirroring asyncio's modules), and nothing becomes public by accident.
 */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.jasyncio");

    /** The one sanctioned edge against the layers: see {@link #onlyTheContractFacadeReachesUpFromTheKernel}. */
    private static final Set<String> FACADE_METHODS_REACHING_UP = Set.of("openConnection", "startServer");

    @Test
    void layersDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Strands").definedBy("org.jasyncio.internal.strand..")
                .layer("Rethrow").definedBy("org.jasyncio.internal")
                .layer("Kernel").definedBy("org.jasyncio")
                .layer("Sync").definedBy("org.jasyncio.sync..")
                .layer("Net").definedBy("org.jasyncio.net..")
                .layer("Streams").definedBy("org.jasyncio.streams..")
                .layer("Process").definedBy("org.jasyncio.process..")
                .whereLayer("Process").mayNotBeAccessedByAnyLayer()
                .whereLayer("Sync").mayNotBeAccessedByAnyLayer()
                .whereLayer("Streams").mayOnlyBeAccessedByLayers("Process", "Kernel")
                .whereLayer("Net").mayOnlyBeAccessedByLayers("Streams", "Process", "Kernel")
                .whereLayer("Strands").mayOnlyBeAccessedByLayers("Kernel")
                .ignoreDependency(JavaClass.Predicates.equivalentTo(Asyncio.class),
                        JavaClass.Predicates.resideInAnyPackage("org.jasyncio.net", "org.jasyncio.streams"))
                .check(CORE);
    }

    /**
     * {@code Asyncio.openConnection} and {@code Asyncio.startServer} are a fixed outside
     * contract whose signatures name stream types, so the façade is the one place the kernel
     * package reaches up; any other dependency from {@code org.jasyncio} on a higher layer
     * is a cycle and fails here.
     */
    @Test
    void onlyTheContractFacadeReachesUpFromTheKernel() {
        List<String> offending = new ArrayList<>();
        for (JavaClass c : CORE) {
            if (!c.getPackageName().equals("org.jasyncio")) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (!target.startsWith("org.jasyncio.") || target.startsWith("org.jasyncio.internal")) {
                    continue;
                }
                boolean sanctioned = c.isEquivalentTo(Asyncio.class) && FACADE_METHODS_REACHING_UP.stream()
                        .anyMatch(m -> d.getDescription().contains("Asyncio." + m + "("));
                if (!sanctioned) {
                    offending.add(d.getDescription());
                }
            }
        }
        assertEquals(List.of(), offending, "the kernel package depends on a layer above it");
    }

    @Test
    void noPackageCycleOtherThanTheContractFacade() {
        TreeMap<String, Set<String>> edges = new TreeMap<>();
        for (JavaClass c : CORE) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String from = c.getPackageName();
                String to = d.getTargetClass().getPackageName();
                boolean facade = c.isEquivalentTo(Asyncio.class) && FACADE_METHODS_REACHING_UP.stream()
                        .anyMatch(m -> d.getDescription().contains("Asyncio." + m + "("));
                if (!from.equals(to) && to.startsWith("org.jasyncio") && !facade) {
                    edges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
        for (String start : edges.keySet()) {
            assertTrue(!reaches(edges, start, start, new TreeSet<>()), "package cycle through " + start + ": " + edges);
        }
    }

    private static boolean reaches(TreeMap<String, Set<String>> edges, String from, String target, Set<String> seen) {
        for (String next : edges.getOrDefault(from, Set.of())) {
            if (next.equals(target) || (seen.add(next) && reaches(edges, next, target, seen))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every public type is on the list of the public API in public-api.txt: making a type
     * public is a decision about what users may depend on, taken in review, never a side
     * effect of moving code between packages.
     */
    @Test
    void publicTypesAreExactlyThePublicApi() throws IOException {
        Set<String> actual = CORE.stream()
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
                .filter(c -> c.getEnclosingClass().map(e -> e.getModifiers().contains(JavaModifier.PUBLIC)).orElse(true))
                .filter(c -> !c.getSimpleName().equals("package-info"))
                .map(JavaClass::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed;
        try (InputStream in = ArchitectureTest.class.getResourceAsStream("public-api.txt")) {
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> unlisted = new TreeSet<>(actual);
        unlisted.removeAll(listed);
        Set<String> gone = new TreeSet<>(listed);
        gone.removeAll(actual);
        assertEquals(Set.of(), unlisted, "public types missing from public-api.txt: make them package-private, or list"
                + " them there if users need them");
        assertEquals(Set.of(), gone, "public-api.txt lists types that are not public (any more)");
    }

    /** A public type in an internal package must be used from another package, else it need not be public. */
    @Test
    void publicInternalTypesAreUsedAcrossPackages() {
        List<String> needless = new ArrayList<>();
        for (JavaClass c : CORE) {
            if (!c.getPackageName().startsWith("org.jasyncio.internal") || !c.getModifiers().contains(JavaModifier.PUBLIC)
                    || c.getEnclosingClass().isPresent()) {
                continue;
            }
            boolean usedElsewhere = c.getDirectDependenciesToSelf().stream()
                    .anyMatch(d -> !d.getOriginClass().getPackageName().equals(c.getPackageName()));
            if (!usedElsewhere) {
                needless.add(c.getName());
            }
        }
        assertEquals(List.of(), needless, "public internal types used only inside their own package");
    }
}
