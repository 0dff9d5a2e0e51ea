package io.hotaru.keys.pki;

import java.time.Clock;
import java.time.Duration;

/**
 * How {@link Pki#create} issues certificates. Every certificate is valid from one hour before now
 * (clock skew between hosts) until {@code validity} after now.
 */
public record PkiOptions(Duration validity, Clock clock, String caName) {
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
    public static final Duration BACKDATE = Duration.ofHours(1);

    public PkiOptions {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive");
        }
    }

    public static PkiOptions defaults() {
        return new PkiOptions(DEFAULT_VALIDITY, Clock.systemUTC(), "Hotaru QKD network CA");
    }

    public PkiOptions withValidity(Duration newValidity) {
        return new PkiOptions(newValidity, clock, caName);
    }
}
