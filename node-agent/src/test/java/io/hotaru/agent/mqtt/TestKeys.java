package io.hotaru.agent.mqtt;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/** Deterministic Ed25519 senders for tests. */
final class TestKeys {

    private TestKeys() {}

    static CommandSigner signer(String sender, long seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return new CommandSigner(sender, new Ed25519PrivateKeyParameters(k, 0));
    }

    static final CommandSigner OPS = signer("ops-1", 1);
    static final CommandSigner NOC = signer("noc-1", 2);
    /** Not on any allow-list. */
    static final CommandSigner INTRUDER = signer("intruder", 3);

    /** ops-1 may do everything, noc-1 may only run self-tests. */
    static SenderAllowList allowList() {
        return SenderAllowList.of(List.of(
                new SenderAllowList.Sender("ops-1", CommandCodec.VERBS, OPS.publicKey()),
                new SenderAllowList.Sender("noc-1", Set.of("selftest"), NOC.publicKey())));
    }
}
