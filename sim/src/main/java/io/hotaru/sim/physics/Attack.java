package io.hotaru.sim.physics;

import java.util.Locale;

/**
 * What an eavesdropper does to the link, between Alice's output and Bob's detectors. Each attack
 * leaves the signature the monitors of security-and-reliability.md §2 look for, and only that: the
 * node sees it through the device interfaces, never through this type.
 *
 * <p>Written as {@code name[:argument]}, e.g. {@code intercept-resend:1.0}, {@code pns}, {@code
 * blinding}, {@code trojan:1e-6}, {@code time-shift:200}; see {@link #parse}.
 */
public sealed interface Attack {

    /** The attack as {@link #parse} reads it. */
    String spec();

    /** The names {@link #parse} knows. */
    String NAMES = "none, intercept-resend[:fraction], pns, blinding, trojan[:watts], time-shift[:ps]";

    /** No eavesdropper. */
    record None() implements Attack {
        @Override
        public String spec() {
            return "none";
        }
    }

    /**
     * Eve measures a fraction of the pulses in a random basis (with an ideal detector, right at
     * Alice's output) and resends her result right at Bob's input, aligned to his analyser and with
     * the click probability the honest channel would have had, so the gain does not change. On every
     * pulse the QBER becomes 25 %.
     *
     * @param fraction share of the pulses Eve intercepts, in [0, 1]
     */
    record InterceptResend(double fraction) implements Attack {
        public InterceptResend {
            Checks.probability("intercept-resend fraction", fraction);
        }

        @Override
        public String spec() {
            return "intercept-resend:" + fraction;
        }
    }

    /**
     * Photon-number splitting: Eve counts the photons of each pulse without disturbing them, blocks
     * the single-photon pulses, keeps one photon of each multi-photon pulse and sends the rest to Bob
     * over a lossless channel, forwarding just enough of them that the signal gain looks normal.
     * The QBER does not change; the decoy gains drop below what the channel predicts.
     */
    record PhotonNumberSplitting() implements Attack {
        @Override
        public String spec() {
            return "pns";
        }
    }

    /**
     * Detector blinding with faked states: bright light keeps Bob's detectors in linear mode, so
     * they click only when Eve's trigger pulse says so. Eve measures each pulse in a random basis and
     * makes Bob click in her basis with her result, as often as the honest signal gain; Bob's
     * detectors no longer see dark counts or his own self-test pulses, and their photocurrent rises.
     */
    record DetectorBlinding() implements Attack {
        @Override
        public String spec() {
            return "blinding";
        }
    }

    /**
     * Trojan-horse probing: Eve shines light into Alice's transmitter and reads the back-reflection.
     * Nothing changes at Bob; Alice's optical power monitor sees the probe.
     *
     * @param probePowerW power of the probe light at Alice's monitor, watts
     */
    record TrojanHorse(double probePowerW) implements Attack {
        /** Default probe power at the monitor: 1 µW. */
        public static final double DEFAULT_POWER_W = 1e-6;

        public TrojanHorse {
            Checks.positive("trojan probe power", probePowerW);
        }

        @Override
        public String spec() {
            return "trojan:" + probePowerW;
        }
    }

    /**
     * Time-shift: Eve delays or advances each pulse by {@code shiftPs} at random so that it lands on
     * the edge of one pair of detectors' gates, where their efficiency is {@code edgeEfficiency}:
     * early pulses are seen mostly by the bit-0 detectors, late ones by the bit-1 detectors, which
     * tells Eve part of Bob's bit. The arrival-time histogram of each detector shifts.
     *
     * @param shiftPs magnitude of the shift, picoseconds
     * @param edgeEfficiency relative efficiency of the detectors whose gate edge the pulse hits
     */
    record TimeShift(double shiftPs, double edgeEfficiency) implements Attack {
        /** Default shift: 200 ps. */
        public static final double DEFAULT_SHIFT_PS = 200;
        /** Default efficiency at the gate edge: 0.1. */
        public static final double DEFAULT_EDGE_EFFICIENCY = 0.1;

        public TimeShift {
            Checks.nonNegative("time-shift ps", shiftPs);
            Checks.probability("time-shift edge efficiency", edgeEfficiency);
        }

        @Override
        public String spec() {
            return "time-shift:" + shiftPs;
        }
    }

    /** No attack. */
    Attack NONE = new None();

    /**
     * Reads {@code name[:argument]}.
     *
     * @throws IllegalArgumentException naming the attack or argument when it is not one of {@link
     *     #NAMES}
     */
    static Attack parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        switch (name) {
            case "none":
                noArgument(spec, arg);
                return NONE;
            case "intercept-resend":
                return new InterceptResend(number(spec, arg, 1.0));
            case "pns":
                noArgument(spec, arg);
                return new PhotonNumberSplitting();
            case "blinding":
                noArgument(spec, arg);
                return new DetectorBlinding();
            case "trojan":
                return new TrojanHorse(number(spec, arg, TrojanHorse.DEFAULT_POWER_W));
            case "time-shift":
                return new TimeShift(number(spec, arg, TimeShift.DEFAULT_SHIFT_PS), TimeShift.DEFAULT_EDGE_EFFICIENCY);
            default:
                throw new IllegalArgumentException("unknown attack '" + spec + "' (known: " + NAMES + ")");
        }
    }

    private static void noArgument(String spec, String arg) {
        if (arg != null) {
            throw new IllegalArgumentException("attack '" + spec + "' takes no argument");
        }
    }

    private static double number(String spec, String arg, double defaultValue) {
        if (arg == null || arg.isEmpty()) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("attack '" + spec + "': argument '" + arg + "' is not a number");
        }
    }
}
