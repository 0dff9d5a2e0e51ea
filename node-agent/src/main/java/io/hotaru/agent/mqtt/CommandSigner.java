package io.hotaru.agent.mqtt;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The operator's side: builds and signs {@code cmd/<verb>} payloads with a sender's Ed25519 private
 * key. Used by tests and operator tools; the node only verifies.
 */
public final class CommandSigner {

    private final String sender;
    private final Ed25519PrivateKeyParameters key;

    public CommandSigner(String sender, Ed25519PrivateKeyParameters key) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.key = Objects.requireNonNull(key, "key");
    }

    public String sender() {
        return sender;
    }

    public Ed25519PublicKeyParameters publicKey() {
        return key.generatePublicKey();
    }

    /** Signs a command with a fresh random id. */
    public byte[] sign(String node, String verb, Map<String, String> args, Instant issued) {
        return sign(UUID.randomUUID().toString(), node, verb, args, issued);
    }

    /** Signs a command with the given id (reuse the id to retry the same command safely). */
    public byte[] sign(String id, String node, String verb, Map<String, String> args, Instant issued) {
        String issuedText = issued.toString();
        byte[] canonical = SignedCommand.canonical(id, node, verb, issuedText, sender, args);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(canonical, 0, canonical.length);
        byte[] sig = signer.generateSignature();
        return CommandCodec.write(new SignedCommand(id, node, verb, issuedText, issued, sender, args, sig));
    }
}
