package org.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one way to run on the continuation strand, with per-task ThreadLocals, without a JVM flag:
 * an executable jar whose manifest says {@code Add-Exports: java.base/jdk.internal.vm} and
 * {@code Add-Opens: java.base/java.lang}, started with {@code java -jar}. The JVM honours those
 * attributes only in the jar that {@code -jar} names: the same jar on the class path gets
 * nothing from them (so a library's own manifest cannot do it for its users). The jar here holds
 * the core's classes and {@link ThreadLocalsMain}, run in a child JVM.
 */
class ExecutableJarManifestTest {

    @TempDir
    Path dir;

    private Path jar;

    @BeforeEach
    void buildTheJar() throws IOException, URISyntaxException {
        // The children choose their strand themselves: running them in one execution is enough.
        assumeTrue(Asyncio.strandName().equals("continuation"), "runs once, in the continuation strand's execution");
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, ThreadLocalsMain.class.getName());
        a.putValue("Add-Exports", "java.base/jdk.internal.vm");
        a.putValue("Add-Opens", "java.base/java.lang");
        jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            Path core = Path.of(Asyncio.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            add(out, core, core);
            Path tests = Path.of(ThreadLocalsMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            add(out, tests, tests.resolve("org/jasyncio/ThreadLocalsMain.class"));
        }
    }

    private static void add(JarOutputStream out, Path root, Path from) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = root.relativize(f).toString().replace(File.separatorChar, '/');
                if (name.startsWith("META-INF/")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    @Test
    void javaDashJarOfAJarWhoseManifestExportsAndOpensNeedsNoFlag() throws Exception {
        JvmRun o = JvmRun.of(dir, "-jar", jar.toString());
        assertEquals(0, o.exitCode(), "stderr:\n" + o.err());
        assertEquals("a sees a\nb sees b\na new task sees null\na child sees parent\nper-task: true\n"
                + "strand: continuation\n", o.out());
        assertEquals("", o.err(), "no warning: the manifest gave both");
    }

    @Test
    void theSameJarOnTheClassPathGetsNothingFromItsManifest() throws Exception {
        JvmRun o = JvmRun.of(dir, "-cp", jar.toString(), ThreadLocalsMain.class.getName());
        assertEquals(0, o.exitCode(), "stderr:\n" + o.err());
        assertTrue(o.out().endsWith("strand: virtual\n"), o.out());
        assertTrue(o.err().contains("continuations are not accessible"), o.err());
    }
}
