package io.hotaru.drivers.jna;

/**
 * Loss and error counters of one device since it was opened; every lost or dropped event or
 * anomaly lands in one of them.
 *
 * @param recordsRead raw records or bytes the vendor library returned
 * @param eventsQueued detection events handed to the consumer ring
 * @param eventsDropped events dropped because the consumer did not keep up
 * @param deviceLossReports reads in which the device reported its own loss (FIFO full, data lost)
 * @param decodeAnomalies records decoded as impossible (time going backwards, unknown channel)
 * @param vendorErrors vendor calls that returned an error
 * @param alarm the latest alarm for operators, empty when none
 */
public record AcquisitionStats(
        long recordsRead,
        long eventsQueued,
        long eventsDropped,
        long deviceLossReports,
        long decodeAnomalies,
        long vendorErrors,
        String alarm) {}
