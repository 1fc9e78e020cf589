package org.jasyncio.bench.echo;

/**
 * An echo server under test: started on 127.0.0.1 with an ephemeral port, stopped after the
 * measurement. Each implementation runs its server on its own threads.
 */
interface EchoPeer {

    /** The name printed as the RESULT line's {@code peer}. */
    String name();

    /**
     * Starts the server and returns once it accepts connections.
     *
     * @param backlog the listen backlog
     * @return the bound port
     */
    int start(int backlog) throws Exception;

    /** Stops the server and closes every connection. */
    void stop() throws Exception;
}
