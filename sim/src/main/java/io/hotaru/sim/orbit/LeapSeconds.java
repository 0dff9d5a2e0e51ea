package io.hotaru.sim.orbit;

import java.util.List;

/**
 * TAI − UTC since 1972 (IERS Bulletin C; the same table as the USNO {@code tai-utc.dat} and the
 * IETF {@code leap-seconds.list}), kept in code so that no data file is read or downloaded.
 *
 * <p>When the IERS announces a new leap second, add a line here. Before 1972 UTC is treated as
 * TAI − 10 s; that only matters for element sets from the 1960s.
 */
final class LeapSeconds {

    /** The UTC date from which {@link Step#taiMinusUtc} applies. */
    record Step(int year, int month, int day, int taiMinusUtc) {}

    static final List<Step> STEPS = List.of(
            new Step(1972, 1, 1, 10),
            new Step(1972, 7, 1, 11),
            new Step(1973, 1, 1, 12),
            new Step(1974, 1, 1, 13),
            new Step(1975, 1, 1, 14),
            new Step(1976, 1, 1, 15),
            new Step(1977, 1, 1, 16),
            new Step(1978, 1, 1, 17),
            new Step(1979, 1, 1, 18),
            new Step(1980, 1, 1, 19),
            new Step(1981, 7, 1, 20),
            new Step(1982, 7, 1, 21),
            new Step(1983, 7, 1, 22),
            new Step(1985, 7, 1, 23),
            new Step(1988, 1, 1, 24),
            new Step(1990, 1, 1, 25),
            new Step(1991, 1, 1, 26),
            new Step(1992, 7, 1, 27),
            new Step(1993, 7, 1, 28),
            new Step(1994, 7, 1, 29),
            new Step(1996, 1, 1, 30),
            new Step(1997, 7, 1, 31),
            new Step(1999, 1, 1, 32),
            new Step(2006, 1, 1, 33),
            new Step(2009, 1, 1, 34),
            new Step(2012, 7, 1, 35),
            new Step(2015, 7, 1, 36),
            new Step(2017, 1, 1, 37));

    private LeapSeconds() {}
}
