package io.hotaru.keys.distill.estimate;

/**
 * What one intensity contributed to a block. Sifted bits of the test basis (Lim et al.'s Z) are all
 * disclosed; those of the key basis (their X, the basis the source chooses more often) are all kept.
 *
 * @param pulses expected pulses sent (N·p_k)
 * @param detected detections, both bases
 * @param sifted detections whose bases matched, both bases
 * @param disclosed sifted test-basis bits, disclosed to estimate the phase error (n_Z,k)
 * @param errors disagreements among the disclosed bits (m_Z,k)
 */
public record IntensityCounts(double pulses, int detected, int sifted, int disclosed, int errors) {
    /** Sifted key-basis bits, n_X,k. */
    public int keyBasis() {
        return sifted - disclosed;
    }

    /** Gain: detections per pulse sent. */
    public double gain() {
        return pulses > 0 ? detected / pulses : Double.NaN;
    }

    /** Error rate among the disclosed bits, NaN if none were disclosed. */
    public double errorRate() {
        return disclosed > 0 ? (double) errors / disclosed : Double.NaN;
    }
}
