package org.jasyncio.tools;

/** A child JVM that runs no event loop, for {@link PsTest}. */
public final class PlainProgram {

    private PlainProgram() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
