package io.hotaru.drivers.jna;

/** A device that counts what it loses. */
public interface LossReporting {

    AcquisitionStats acquisitionStats();
}
