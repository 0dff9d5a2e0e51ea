/** Opening a device by URI for a short, self-contained check, for the operator's CLI. */
package io.hotaru.drivers.probe;
