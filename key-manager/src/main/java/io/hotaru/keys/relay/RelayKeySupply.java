package io.hotaru.keys.relay;

import io.hotaru.keys.etsi014.KeySupply;
import io.hotaru.keys.relay.codec.RelayCodec;
import io.hotaru.keys.store.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tops up an end-to-end link's pool for the ETSI 014 server by relaying keys from this node to the
 * far end, waiting at most {@code maxWait} in all (for a route with key, then for the relays); what
 * it cannot relay in time is answered 503 by the server. Relays carry up to 32 units each, and up to
 * 64 of them start together ({@link RelayNode#relayMany}).
 */
public final class RelayKeySupply implements KeySupply {
    private static final Logger log = LoggerFactory.getLogger(RelayKeySupply.class);

    private final RelayNode node;
    private final Map<String, String> destinationByLink;
    private final RoutePolicy policy;
    private final Duration maxWait;

    /** @param destinationByLink for each end-to-end link this node serves, the node at its far end */
    public RelayKeySupply(RelayNode node, Map<String, String> destinationByLink, RoutePolicy policy, Duration maxWait) {
        this.node = node;
        this.destinationByLink = Map.copyOf(destinationByLink);
        this.policy = policy;
        this.maxWait = maxWait;
    }

    /** Serves every end-to-end link between this node and {@code destinations}. */
    public static RelayKeySupply towards(
            RelayNode node, Iterable<String> destinations, RoutePolicy policy, Duration maxWait) {
        Map<String, String> byLink = new java.util.HashMap<>();
        for (String d : destinations) {
            byLink.put(RelayNode.endToEndLink(node.id(), d), d);
        }
        return new RelayKeySupply(node, byLink, policy, maxWait);
    }

    @Override
    public boolean topUp(String linkId, long units) {
        String destination = destinationByLink.get(linkId);
        if (destination == null || units < 1) {
            return false;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        long left = units;
        try {
            while (left > 0) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    return false;
                }
                int perRelay = (int) Math.min(left, RelayCodec.MAX_UNITS);
                int count = (int) Math.min(left / perRelay, RelayCodec.MAX_BATCH);
                List<RelayOutcome> outcomes = node.relayManyWhenRouted(
                        destination, perRelay * KeyStore.UNIT_BITS, count, policy, Duration.ofNanos(wait));
                boolean failed = false;
                for (RelayOutcome outcome : outcomes) {
                    if (outcome.status() == RelayStatus.COMMITTED) {
                        left -= perRelay;
                    } else if (!failed) {
                        failed = true;
                        log.info("Top-up of {} towards {}: relay ended {}", linkId, destination, outcome.status());
                    }
                }
                if (failed) {
                    return left <= 0; // the relays that committed stay in the pool
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
