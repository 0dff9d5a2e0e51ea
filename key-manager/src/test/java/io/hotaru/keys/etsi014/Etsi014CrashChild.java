package io.hotaru.keys.etsi014;

import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.LocalPeerReservations;
import io.hotaru.keys.store.MasterKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The process {@link Etsi014CrashIT} kills: a master KME (A) and its slave (B) with their stores and
 * their ETSI GS QKD 014 servers over mutual TLS, the reservation passed from A to B as the two
 * stores of one process pass it. Prints {@code READY <port of A> <port of B>} once both listen, then
 * serves until it is killed.
 */
public final class Etsi014CrashChild {
    static final String LINK = "ab";
    static final Map<String, String> KME_OF_SAE = Map.of("sae-a", "kme-a", "sae-b", "kme-b");
    static final Map<SaePair, String> ACL = Map.of(new SaePair("sae-a", "sae-b"), LINK);

    private Etsi014CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        PkiFiles pki = Pki.open(dir.resolve("pki"), List.of("kme-a", "kme-b"), List.of("sae-a", "sae-b"));
        KeyStore a = KeyStore.open(dir.resolve("a.db"), MasterKey.loadOrCreate(dir.resolve("a.key")));
        KeyStore b = KeyStore.open(dir.resolve("b.db"), MasterKey.loadOrCreate(dir.resolve("b.key")));
        Etsi014Server kmeA = Etsi014Server.start(
                Etsi014Config.of("kme-a", 0, KME_OF_SAE, ACL),
                TlsContexts.kmeServer(pki, "kme-a"),
                a,
                new LocalPeerReservations(Map.of(LINK, b)));
        Etsi014Server kmeB = Etsi014Server.start(
                Etsi014Config.of("kme-b", 0, KME_OF_SAE, ACL),
                TlsContexts.kmeServer(pki, "kme-b"),
                b,
                new LocalPeerReservations(Map.of(LINK, a)));
        System.out.println("READY " + kmeA.port() + " " + kmeB.port());
        System.out.flush();
        Thread.currentThread().join(); // until SIGKILL
    }
}
