/**
 * The {@code sim:} binding of the device SPI: a photon source, a time tagger and a QRNG on top of
 * {@link io.hotaru.sim.physics}. Both ends of a simulated link are configured by the same URI
 * parameters and derive everything from the link's seed and parameters, so they need no channel
 * between them.
 *
 * <pre>
 * sim:alice?link=ab&amp;seed=42&amp;params=demo&amp;distance_km=25   PhotonSource
 * sim:bob?link=ab&amp;seed=42&amp;params=demo&amp;distance_km=25     TimeTagger
 * sim:qrng?seed=7                                             Qrng
 * </pre>
 *
 * See {@link io.hotaru.sim.devices.SimLinkConfig} for the link parameters.
 */
package io.hotaru.sim.devices;
