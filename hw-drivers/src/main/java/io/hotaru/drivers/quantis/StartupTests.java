package io.hotaru.drivers.quantis;

/**
 * The FIPS 140-2 monobit and poker tests on 20,000 bits, run at start-up and whenever the device
 * requests its AIS-31 start-up tests. A smoke test of the noise source, not the AIS-31 procedure.
 */
final class StartupTests {

    static final int BYTES = 2500;

    private StartupTests() {}

    /** Empty when both pass, else why not. */
    static String failures(byte[] sample) {
        int ones = 0;
        int[] nibbles = new int[16];
        for (int i = 0; i < BYTES; i++) {
            int b = sample[i] & 0xFF;
            ones += Integer.bitCount(b);
            nibbles[b >>> 4]++;
            nibbles[b & 0xF]++;
        }
        StringBuilder why = new StringBuilder();
        if (ones <= 9725 || ones >= 10275) {
            why.append("monobit failed (").append(ones).append(" ones in 20000 bits) ");
        }
        double sum = 0;
        for (int f : nibbles) {
            sum += (double) f * f;
        }
        double x = 16.0 / 5000 * sum - 5000;
        if (x <= 2.16 || x >= 46.17) {
            why.append(String.format("poker failed (X = %.2f)", x));
        }
        return why.toString().trim();
    }
}
