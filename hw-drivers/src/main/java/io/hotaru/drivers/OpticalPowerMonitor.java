package io.hotaru.drivers;

/**
 * A photodiode watching light that enters the transmitter from the fibre: Trojan-horse probing
 * raises its reading.
 */
public interface OpticalPowerMonitor extends Device {

    /** The power now. */
    PowerReading read();

    /** The smallest power the monitor resolves, watts. */
    double noiseFloorW();
}
