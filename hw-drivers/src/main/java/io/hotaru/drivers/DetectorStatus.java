package io.hotaru.drivers;

/**
 * Readings of the receiver's detectors, one entry per channel. A blinded avalanche photodiode
 * shows as a photocurrent far above its dark level.
 *
 * @param countRatesHz clicks per second per channel, over the device's last averaging interval
 * @param photocurrentsUa bias (photo)current per channel, µA
 * @param temperatureK detector temperature, kelvin
 */
public record DetectorStatus(double[] countRatesHz, double[] photocurrentsUa, double temperatureK) {

    public DetectorStatus {
        if (countRatesHz.length != photocurrentsUa.length) {
            throw new IllegalArgumentException("need one count rate and one photocurrent per channel");
        }
        countRatesHz = countRatesHz.clone();
        photocurrentsUa = photocurrentsUa.clone();
    }

    @Override
    public double[] countRatesHz() {
        return countRatesHz.clone();
    }

    @Override
    public double[] photocurrentsUa() {
        return photocurrentsUa.clone();
    }

    public int channelCount() {
        return countRatesHz.length;
    }
}
