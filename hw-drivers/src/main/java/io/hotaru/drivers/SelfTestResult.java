package io.hotaru.drivers;

import java.util.Objects;

/**
 * Outcome of a device self-test.
 *
 * @param passed whether the device may be used for key generation
 * @param detail a one-line human-readable explanation
 */
public record SelfTestResult(boolean passed, String detail) {

    public SelfTestResult {
        Objects.requireNonNull(detail, "detail");
    }

    public static SelfTestResult pass(String detail) {
        return new SelfTestResult(true, detail);
    }

    public static SelfTestResult fail(String detail) {
        return new SelfTestResult(false, detail);
    }
}
