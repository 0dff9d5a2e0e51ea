package io.hotaru.keys.distill.estimate;

/**
 * What one intensity contributed to a block.
 *
 * @param pulses expected pulses sent (N·p_k)
 * @param detected detections, both bases
 * @param sifted detections whose bases matched
 * @param disclosed sifted bits both ends disclosed to estimate the error rate
 * @param errors disagreements among the disclosed bits
 */
public record IntensityCounts(double pulses, int detected, int sifted, int disclosed, int errors) {
    /** Gain: detections per pulse sent. */
    public double gain() {
        return pulses > 0 ? detected / pulses : Double.NaN;
    }

    /** Error rate among the disclosed bits, NaN if none were disclosed. */
    public double errorRate() {
        return disclosed > 0 ? (double) errors / disclosed : Double.NaN;
    }
}
