/**
 * Plumbing shared by the JNA vendor bindings: loading a vendor library or its stand-in, the owner
 * thread that alone touches a device handle, the lock-free hand-off of events to consumers and the
 * loss counters.
 */
package io.hotaru.drivers.jna;
