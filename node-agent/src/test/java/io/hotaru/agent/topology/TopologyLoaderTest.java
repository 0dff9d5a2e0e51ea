package io.hotaru.agent.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyLoaderTest {

    private static final String TLE = """
                1 40074U 14037F   16079.81203031  .00001270  00000-0  16363-3 0  9993
                2 40074  98.3348 169.0455 0005943  80.4298 279.7595 14.82938013 91827
            """;

    /** A small valid topology; tests break one thing in it. */
    private static final String VALID =
            """
            name: small
            start: 2016-03-20T02:30:00Z
            nodes:
              - id: a
                kind: metro
                etsi_port_offset: 0
              - id: b
                kind: metro
                etsi_port_offset: 1
                lat: 35.7
                lon: 139.7
              - id: gs
                kind: ground-station
                etsi_port_offset: 2
              - id: sat
                kind: satellite
                etsi_port_offset: 3
            fibre_links:
              - id: ab
                a: a
                b: b
                length_km: 20
                loss_db_per_km: 0.2
                parameter_set: metro
            satellite_links:
              - id: down
                satellite: sat
                station: gs
                tle: |
            %s
                station_lat: 35.71
                station_lon: 139.49
                station_alt_m: 70
                min_elevation_deg: 15
                parameter_set: micius
            """.formatted(TLE.stripTrailing().indent(6).stripTrailing());

    private static Topology parse(String yaml) {
        return TopologyLoader.parse("t.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAValidTopologyIntoRecords() {
        Topology t = parse(VALID);
        assertThat(t.name()).isEqualTo("small");
        assertThat(t.start().toString()).startsWith("2016-03-20T02:30");
        assertThat(t.nodes()).extracting(TopologyNode::id).containsExactly("a", "b", "gs", "sat");
        assertThat(t.node("a").orElseThrow().hasPosition()).isFalse();
        assertThat(t.node("b").orElseThrow().latitudeDeg()).isEqualTo(35.7);
        assertThat(t.fibreLinks().get(0)).isEqualTo(new FibreLink("ab", "a", "b", 20, 0.2, "metro"));
        SatelliteLink down = t.satelliteLinks().get(0);
        assertThat(down.tle().catalogNumber()).isEqualTo(40074);
        assertThat(down.minElevationDeg()).isEqualTo(15);
        assertThat(t.links()).extracting(Topology.LinkEnds::id).containsExactly("ab", "down");
    }

    @Test
    void theDefaultIsShapedLikeTheTokyoQkdNetwork() {
        Topology t = TopologyLoader.loadDefault();
        assertThat(t.nodes().stream().filter(n -> n.kind() == NodeKind.METRO))
                .extracting(TopologyNode::id)
                .containsExactly("koganei", "otemachi", "hakusan", "hongo");
        assertThat(t.nodes().stream().filter(n -> n.kind() == NodeKind.GROUND_STATION))
                .hasSize(2);
        assertThat(t.nodes().stream().filter(n -> n.kind() == NodeKind.SATELLITE))
                .hasSize(1);
        assertThat(t.fibreLinks()).extracting(FibreLink::lengthKm).contains(45.0, 24.0, 13.0, 1.0);
        assertThat(t.fibreLinks().get(0).lossDb()).isEqualTo(45 * 0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(t.satelliteLinks()).hasSize(2);
    }

    @Test
    void aLinkToAnUnknownNodeNamesTheLineAndTheNodes() {
        String yaml = VALID.replace("    b: b\n", "    b: c\n");
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(TopologyException.class)
                .hasMessage("t.yaml:21: fibre_links[0].b: unknown node 'c'; nodes: a, b, gs, sat")
                .extracting(e -> ((TopologyException) e).line())
                .isEqualTo(21);
    }

    @Test
    void aNegativeLengthIsRefused() {
        assertThatThrownBy(() -> parse(VALID.replace("length_km: 20", "length_km: -3")))
                .hasMessage("t.yaml:22: fibre_links[0].length_km: must be positive and at most 1000.0, got -3.0");
        assertThatThrownBy(() -> parse(VALID.replace("length_km: 20", "length_km: 0")))
                .hasMessageStartingWith("t.yaml:22: fibre_links[0].length_km: must be positive");
    }

    @Test
    void aDuplicateNodeIdNamesBothLines() {
        assertThatThrownBy(() -> parse(VALID.replace("id: b\n", "id: a\n")))
                .hasMessage("t.yaml:7: nodes[1].id: duplicate node id 'a' (first at line 4)");
    }

    @Test
    void aDuplicateLinkIdIsRefusedAcrossFibreAndSatelliteLinks() {
        assertThatThrownBy(() -> parse(VALID.replace("id: down", "id: ab")))
                .hasMessage("t.yaml:26: satellite_links[0].id: duplicate link id 'ab' (first at line 19)");
    }

    @Test
    void aDuplicatePortOffsetIsRefused() {
        assertThatThrownBy(() -> parse(VALID.replace("etsi_port_offset: 3", "etsi_port_offset: 0")))
                .hasMessageStartingWith("t.yaml:17: nodes[3].etsi_port_offset: duplicate ETSI port offset 0");
    }

    @Test
    void unknownKeysAreRefusedWhereverTheyAre() {
        assertThatThrownBy(() -> parse("colour: red\n" + VALID))
                .hasMessage("t.yaml:1: colour: unknown key; known keys here: fibre_links, name, nodes,"
                        + " satellite_links, start");
        assertThatThrownBy(() -> parse(VALID.replace("loss_db_per_km: 0.2", "loss_db_per_km: 0.2\n    lenght: 3")))
                .hasMessageStartingWith("t.yaml:24: fibre_links[0].lenght: unknown key; known keys here: a, b, id,");
    }

    @Test
    void linksMustJoinNodesOfTheRightKind() {
        assertThatThrownBy(() -> parse(VALID.replace("station: gs", "station: a")))
                .hasMessage("t.yaml:28: satellite_links[0].station: 'a' is a metro node, not a ground-station");
        assertThatThrownBy(() -> parse(VALID.replace("    b: b\n", "    b: sat\n")))
                .hasMessage(
                        "t.yaml:21: fibre_links[0].b: 'sat' is a satellite; put it in satellite_links, not fibre_links");
        assertThatThrownBy(() -> parse(VALID.replace("    b: b\n", "    b: a\n")))
                .hasMessageStartingWith("t.yaml:21: fibre_links[0].b: a link needs two different nodes");
    }

    @Test
    void otherMistakesNameTheirKey() {
        assertThatThrownBy(() -> parse(VALID.replace("kind: satellite", "kind: rocket")))
                .hasMessage("t.yaml:16: nodes[3].kind: 'rocket' is not one of metro, ground-station, satellite");
        assertThatThrownBy(() -> parse(VALID.replace("parameter_set: micius", "parameter_set: moon")))
                .hasMessageStartingWith("t.yaml:36: satellite_links[0].parameter_set: unknown parameter set 'moon'");
        assertThatThrownBy(() -> parse(VALID.replace("0  9993", "0  9994")))
                .hasMessageStartingWith("t.yaml:29: satellite_links[0].tle: not a valid TLE:");
        assertThatThrownBy(() -> parse(VALID.replace("start: 2016-03-20T02:30:00Z", "start: tomorrow")))
                .hasMessageStartingWith("t.yaml:2: start: not an ISO-8601 date-time");
        assertThatThrownBy(() -> parse(VALID.replace("name: small", "name: small\nname: again")))
                .hasMessageContaining("t.yaml:2: not valid YAML: Duplicate field 'name'");
        assertThatThrownBy(() -> parse(VALID.replace("    lat: 35.7\n", "")))
                .hasMessage("t.yaml:10: nodes[1].lon: give both lat and lon, or neither");
    }

    @Test
    void aFileIsNamedInItsErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("net.yaml");
        Files.writeString(file, VALID.replace("length_km: 20", "length_km: -1"));
        assertThatThrownBy(() -> TopologyLoader.load(file)).hasMessageStartingWith(file + ":22: ");
        assertThatThrownBy(() -> TopologyLoader.load(dir.resolve("missing.yaml")))
                .hasMessage(dir.resolve("missing.yaml") + ": no such file");
    }
}
