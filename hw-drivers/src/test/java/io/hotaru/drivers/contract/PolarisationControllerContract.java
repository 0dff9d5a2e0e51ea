package io.hotaru.drivers.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.drivers.PolarisationController;
import org.junit.jupiter.api.Test;

/** The contract of a {@link PolarisationController}. */
public abstract class PolarisationControllerContract extends DeviceContract<PolarisationController> {

    @Override
    protected void operate(PolarisationController d) {
        d.anglesDeg();
    }

    @Test
    void anglesSetAreAnglesRead() {
        double[] a = new double[device.waveplateCount()];
        for (int i = 0; i < a.length; i++) {
            a[i] = 10 + 20 * i;
        }
        device.setAnglesDeg(a);
        assertThat(device.anglesDeg()).containsExactly(a, org.assertj.core.api.Assertions.within(0.01));
    }

    @Test
    void theWrongNumberOfAnglesIsRefused() {
        assertThatThrownBy(() -> device.setAnglesDeg(new double[device.waveplateCount() + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
