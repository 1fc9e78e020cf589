package org.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/imports.md says what javac does with imports that bring two types of one simple name
 * (jasyncio's {@code Queue}, {@code Future}, {@code Lock}, ... and the JDK's): each Java snippet
 * there is marked {@code <!-- javac: ok -->} or {@code <!-- javac: error: MESSAGE -->}, and is
 * compiled here against jasyncio and JUnit to check that it does exactly that.
 */
class ImportsDocsTest {

    private static final Path PAGE = Path.of("..", "docs", "imports.md");
    private static final Pattern SNIPPET = Pattern.compile(
            "<!-- javac: (ok|error: (.+?)) -->\\n```java\\n(.*?)```", Pattern.DOTALL);

    private record Snippet(int number, String expectedError, String code) {
    }

    @TempDir
    Path dir;

    private static List<Snippet> snippets() throws IOException {
        Matcher m = SNIPPET.matcher(Files.readString(PAGE).replace("\r\n", "\n"));
        List<Snippet> found = new ArrayList<>();
        while (m.find()) {
            found.add(new Snippet(found.size() + 1, m.group(2), m.group(3)));
        }
        return found;
    }

    /** Compiles one snippet alone and returns javac's error messages. */
    private List<String> compile(JavaCompiler javac, StandardJavaFileManager files, Snippet s) throws IOException {
        Path src = Files.createDirectories(dir.resolve("s" + s.number())).resolve("Snippet.java");
        Files.writeString(src, s.code());
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-proc:none", "-d", src.getParent().toString(),
                "-cp", System.getProperty("java.class.path"));
        javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(src)).call();
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null))
                .collect(Collectors.toList());
    }

    @Test
    void thePageHasItsSnippets() throws IOException {
        List<Snippet> all = snippets();
        assertEquals(8, all.size(), "snippets marked for javac in " + PAGE);
        assertEquals(4, all.stream().filter(s -> s.expectedError() != null).count());
    }

    @Test
    void eachSnippetCompilesOrFailsAsThePageSays() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK");
        List<String> wrong = new ArrayList<>();
        // One file manager for all: it reads the class path once.
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            for (Snippet s : snippets()) {
                check(s, compile(javac, files, s), wrong);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static void check(Snippet s, List<String> errors, List<String> wrong) {
        if (s.expectedError() == null && !errors.isEmpty()) {
            wrong.add("snippet " + s.number() + " should compile, but javac says " + errors);
        } else if (s.expectedError() != null && errors.stream().noneMatch(e -> e.contains(s.expectedError()))) {
            wrong.add("snippet " + s.number() + " should fail with \"" + s.expectedError() + "\", but javac says "
                    + (errors.isEmpty() ? "nothing" : errors));
        }
    }
}
