package io.hotaru.keys.store;

import java.util.List;
import java.util.UUID;

/**
 * What the peer KME's refusal of a reservation said of the announced units, for {@link
 * KeyPool#releaseAsync(Reservation, PeerRefusal)}.
 *
 * @param spent units it has delivered or erased ({@link KeyManagerException.Code#UNITS_SPENT})
 * @param unknown units it has no row of ({@link KeyManagerException.Code#UNITS_UNKNOWN})
 * @param forgottenBefore with {@code unknown}: the time (epoch ms, the peer's clock) before which it
 *     deleted the rows of the units it spent; 0 otherwise
 */
public record PeerRefusal(List<UUID> spent, List<UUID> unknown, long forgottenBefore) {
    /** A refusal that names no units. */
    public static final PeerRefusal NONE = new PeerRefusal(List.of(), List.of(), 0);

    public PeerRefusal {
        spent = List.copyOf(spent);
        unknown = List.copyOf(unknown);
    }

    public static PeerRefusal spent(List<UUID> units) {
        return new PeerRefusal(units, List.of(), 0);
    }

    /** What the exception of a refused reservation names. */
    public static PeerRefusal of(KeyManagerException e) {
        return switch (e.code()) {
            case UNITS_SPENT -> spent(e.units());
            case UNITS_UNKNOWN -> new PeerRefusal(List.of(), e.units(), e.forgottenBefore());
            default -> NONE;
        };
    }
}
