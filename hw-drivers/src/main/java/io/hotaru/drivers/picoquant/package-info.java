/**
 * The PicoQuant MultiHarp ({@code MH_}) and HydraHarp ({@code HH_}) bindings in T2 mode: raw
 * libraries transcribed verbatim, the T2/T3 record decoders and the SPI adapter.
 */
package io.hotaru.drivers.picoquant;
