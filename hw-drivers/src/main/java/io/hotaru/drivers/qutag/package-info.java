/**
 * The qutools quTAG binding: {@link io.hotaru.drivers.qutag.TdcbaseLibrary} transcribes the
 * {@code TDC_} C functions; {@link io.hotaru.drivers.qutag.QutagTimeTagger} is the SPI adapter.
 */
package io.hotaru.drivers.qutag;
