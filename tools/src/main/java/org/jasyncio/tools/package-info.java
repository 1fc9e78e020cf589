/**
 * Tools that look into a running jasyncio program from outside its JVM: {@link Ps} is
 * {@code ./jasyncio ps PID} and {@code ./jasyncio pstree PID}. A module of its own, outside the
 * library: it needs the JDK's {@code jdk.attach} module, which the library must not require,
 * and it depends on the library only through the JMX names of its event loop beans.
 */
package org.jasyncio.tools;
