package io.hotaru.sim.physics;

/**
 * The state Alice prepared in one slot, packed in an {@code int}: intensity level, basis (0 = Z,
 * 1 = X) and bit. Packed so that looking up states allocates nothing.
 */
public final class PulseState {

    private PulseState() {}

    public static int pack(int intensityLevel, int basis, int bit) {
        return intensityLevel << 2 | basis << 1 | bit;
    }

    public static int intensityLevel(int state) {
        return state >>> 2;
    }

    public static int basis(int state) {
        return (state >>> 1) & 1;
    }

    public static int bit(int state) {
        return state & 1;
    }
}
