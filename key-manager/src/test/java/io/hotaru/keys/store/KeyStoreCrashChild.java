package io.hotaru.keys.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The KME pair that {@link KeyStoreCrashIT} kills: delivers keys to a master (A) and to its slave (B)
 * as fast as it can, printing a line for each answer an SAE would have received, after the answer's
 * commits and before the next step. Never returns by itself.
 */
public final class KeyStoreCrashChild {
    static final String LINK = "crash-link";

    private KeyStoreCrashChild() {}

    static byte[] masterKey(int which) {
        byte[] key = new byte[MasterKey.LENGTH];
        java.util.Arrays.fill(key, (byte) (0x40 + which));
        return key;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = System.out;
        // The slave collects the keys it was not given before a kill only at the end of the campaign,
        // which in the full profile can be more than the default ten minutes of a reservation later:
        // an expired reservation is erased by design, so the campaign's reservations last a day.
        StoreOptions options = StoreOptions.defaults().withReservationTtl(java.time.Duration.ofDays(1));
        try (KeyStore a = KeyStore.open(dir.resolve("a.db"), MasterKey.of(masterKey(1)), options);
                KeyStore b = KeyStore.open(dir.resolve("b.db"), MasterKey.of(masterKey(2)), options)) {
            out.println("READY");
            out.flush();
            Deque<UUID> toCollect = new ArrayDeque<>();
            while (true) {
                int number = 1 + random.nextInt(3);
                int size = random.nextBoolean() ? 256 : 512;
                try (Reservation r = a.reserve(LINK, number, size, "sae-a", List.of(), List.of("sae-b"))) {
                    b.markReservedByPeer(r.announcement());
                    // the 200 of enc_keys: both ends hold the reservation durably
                    StringBuilder line = new StringBuilder("DELIVERED");
                    r.keyIds().forEach(id -> line.append(' ').append(id));
                    out.println(line);
                    out.flush();
                    a.confirmMasterDelivery(r);
                    toCollect.addAll(r.keyIds());
                }
                if (toCollect.size() > 4 || random.nextInt(4) == 0) {
                    UUID id = toCollect.poll();
                    if (id != null) {
                        out.println("COLLECTING " + id);
                        out.flush();
                        b.deliver(List.of(id), "sae-b", "sae-a").close();
                        out.println("COLLECTED " + id); // the 200 of dec_keys
                        out.flush();
                    }
                }
            }
        }
    }
}
