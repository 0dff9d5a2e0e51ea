package io.hotaru.keys.etsi014;

/**
 * Tops up the key pool of a link on demand: the ETSI 014 server asks it when an {@code enc_keys}
 * finds too few keys, and tries once more if it succeeded. Between non-adjacent KMEs this relays
 * keys through trusted nodes ({@code io.hotaru.keys.relay.RelayKeySupply}).
 */
@FunctionalInterface
public interface KeySupply {
    /**
     * Tries, within the supply's own time bound, to make at least {@code units} more 256-bit units
     * available on {@code linkId}, at both of its ends.
     *
     * @return whether it did; if not, the request is answered 503
     */
    boolean topUp(String linkId, long units);

    /** No supply: a short pool is answered 503 at once. */
    static KeySupply none() {
        return (linkId, units) -> false;
    }
}
