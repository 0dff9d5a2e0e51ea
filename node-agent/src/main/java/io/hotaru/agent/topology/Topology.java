package io.hotaru.agent.topology;

import io.hotaru.sim.orbit.UtcTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole simulated network: nodes, fibre links and satellite links, validated by {@link
 * TopologyLoader} (ids unique, every link between known nodes of the right kinds).
 *
 * @param name a label for the network
 * @param start the simulated instant at which a run of the network starts (orbits are propagated
 *     from it, so it should lie near the TLEs' epochs)
 * @param nodes the nodes, in file order
 * @param fibreLinks the fibre links, in file order
 * @param satelliteLinks the satellite links, in file order
 */
public record Topology(
        String name,
        UtcTime start,
        List<TopologyNode> nodes,
        List<FibreLink> fibreLinks,
        List<SatelliteLink> satelliteLinks) {

    public Topology {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(start, "start");
        nodes = List.copyOf(nodes);
        fibreLinks = List.copyOf(fibreLinks);
        satelliteLinks = List.copyOf(satelliteLinks);
    }

    public Optional<TopologyNode> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** Every link as (id, a, b): fibre links first, then satellite links (satellite, station). */
    public List<LinkEnds> links() {
        List<LinkEnds> out = new ArrayList<>();
        fibreLinks.forEach(l -> out.add(new LinkEnds(l.id(), l.a(), l.b(), false)));
        satelliteLinks.forEach(l -> out.add(new LinkEnds(l.id(), l.satellite(), l.station(), true)));
        return List.copyOf(out);
    }

    /**
     * The two ends of a link.
     *
     * @param id link id
     * @param a transmitter's node
     * @param b receiver's node
     * @param satellite whether it is a satellite link
     */
    public record LinkEnds(String id, String a, String b, boolean satellite) {}
}
