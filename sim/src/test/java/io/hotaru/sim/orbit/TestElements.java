package io.hotaru.sim.orbit;

/** Element sets used by several tests. */
final class TestElements {

    /** The ISS, 2008-09-20 (the example element set of the TLE format description). */
    static final String ISS_LINE_1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927";

    static final String ISS_LINE_2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537";

    static final Tle ISS = Tle.parse("ISS (ZARYA)", ISS_LINE_1, ISS_LINE_2);

    private TestElements() {}
}
