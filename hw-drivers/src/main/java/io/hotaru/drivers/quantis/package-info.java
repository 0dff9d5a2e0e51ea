/**
 * The ID Quantique Quantis QRNG binding: {@link io.hotaru.drivers.quantis.QuantisLibrary}
 * transcribes {@code Quantis.h}; {@link io.hotaru.drivers.quantis.QuantisQrng} is the SPI adapter.
 */
package io.hotaru.drivers.quantis;
