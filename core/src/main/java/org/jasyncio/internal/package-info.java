/**
 * Code shared by every layer that is no part of the API: not exported by the module. Depends
 * on nothing in jasyncio.
 */
package org.jasyncio.internal;
