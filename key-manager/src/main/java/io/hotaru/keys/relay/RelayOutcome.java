package io.hotaru.keys.relay;

import java.util.List;
import java.util.UUID;

/**
 * What the source knows of a relay when {@link RelayNode#relay} returns.
 *
 * @param relayId the relay's random ID; 0 if none began (NO_ROUTE)
 * @param status {@link RelayStatus#COMMITTED}: both ends hold the key as units {@code keyIds} of
 *     {@code endToEndLink}; {@link RelayStatus#ABORTED} or {@link RelayStatus#NO_ROUTE}: neither
 *     does; {@link RelayStatus#IN_DOUBT}: see {@link RelayNode#resolveInDoubt()}
 * @param paths the route of each share (one for a single-path relay)
 */
public record RelayOutcome(
        long relayId, RelayStatus status, String endToEndLink, List<UUID> keyIds, List<List<String>> paths) {
    public RelayOutcome {
        keyIds = List.copyOf(keyIds);
        paths = paths.stream().map(List::copyOf).toList();
    }
}
