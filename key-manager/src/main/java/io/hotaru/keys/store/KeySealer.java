package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Encrypts keys at rest: AES-256-GCM with a random 96-bit nonce and the key ID as associated data
 * (a ciphertext moved to another row does not decrypt), plus HMAC-SHA-256 over key ID and plaintext
 * checked after decryption. Both keys are derived from the master key with HKDF-SHA-256.
 *
 * <p>Not thread-safe: the cipher and MAC are built once (AES key schedule, GCM tables, HMAC pads)
 * and reused for every unit, so a sealer belongs to the store's writer thread.
 */
final class KeySealer {
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] AAD_DOMAIN = "hotaru:stored-key:v1".getBytes(StandardCharsets.US_ASCII);

    record Sealed(byte[] nonce, byte[] ciphertext, byte[] digest) {}

    private final byte[] encryptionKey;
    private final byte[] macKey;
    private final SecureRandom random = new SecureRandom();
    private final GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    private final HMac hmac = new HMac(new SHA256Digest());
    private final byte[] macOut;
    private boolean gcmKeyed;

    KeySealer(MasterKey masterKey) {
        this.encryptionKey = derive(masterKey.bytes(), "hotaru:store:aes-gcm:v1");
        this.macKey = derive(masterKey.bytes(), "hotaru:store:hmac:v1");
        this.hmac.init(new KeyParameter(macKey));
        this.macOut = new byte[hmac.getMacSize()];
    }

    private static byte[] derive(byte[] ikm, String info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, null, info.getBytes(StandardCharsets.US_ASCII)));
        byte[] out = new byte[32];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    Sealed seal(UUID keyId, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        GCMModeCipher gcm = gcm(true, keyId, nonce);
        byte[] ciphertext = new byte[gcm.getOutputSize(plaintext.length)];
        int n = gcm.processBytes(plaintext, 0, plaintext.length, ciphertext, 0);
        try {
            gcm.doFinal(ciphertext, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("GCM encryption cannot fail", e);
        }
        return new Sealed(nonce, ciphertext, mac(keyId, plaintext));
    }

    /** Returns the plaintext; the caller zeroes it. */
    byte[] open(UUID keyId, Sealed sealed) {
        GCMModeCipher gcm = gcm(false, keyId, sealed.nonce());
        byte[] plaintext = new byte[gcm.getOutputSize(sealed.ciphertext().length)];
        try {
            int n = gcm.processBytes(sealed.ciphertext(), 0, sealed.ciphertext().length, plaintext, 0);
            gcm.doFinal(plaintext, n);
        } catch (InvalidCipherTextException | RuntimeException e) {
            Arrays.fill(plaintext, (byte) 0);
            throw new KeyManagerException(Code.CORRUPT_KEY, "stored key " + keyId + " failed authentication");
        }
        byte[] expected = mac(keyId, plaintext);
        if (!MessageDigest.isEqual(expected, sealed.digest())) {
            Arrays.fill(plaintext, (byte) 0);
            throw new KeyManagerException(Code.CORRUPT_KEY, "stored key " + keyId + " failed its digest check");
        }
        return plaintext;
    }

    /**
     * The cipher set up for one unit. The AES key is given once; later calls pass no key, so the
     * cipher keeps its key schedule and GCM tables and only takes the new nonce.
     */
    private GCMModeCipher gcm(boolean encrypt, UUID keyId, byte[] nonce) {
        gcm.init(
                encrypt,
                new AEADParameters(gcmKeyed ? null : new KeyParameter(encryptionKey), TAG_BITS, nonce, aad(keyId)));
        gcmKeyed = true;
        return gcm;
    }

    private byte[] mac(UUID keyId, byte[] plaintext) {
        byte[] id = uuidBytes(keyId);
        hmac.update(id, 0, id.length);
        hmac.update(plaintext, 0, plaintext.length);
        hmac.doFinal(macOut, 0); // also resets the MAC for the next unit, keeping its key
        return macOut.clone();
    }

    private static byte[] aad(UUID keyId) {
        return ByteBuffer.allocate(AAD_DOMAIN.length + 16)
                .put(AAD_DOMAIN)
                .put(uuidBytes(keyId))
                .array();
    }

    private static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
    }

    void wipe() {
        Arrays.fill(encryptionKey, (byte) 0);
        Arrays.fill(macKey, (byte) 0);
        hmac.init(new KeyParameter(new byte[macKey.length])); // drops the pads derived from the key
        gcm.init(
                true,
                new AEADParameters(new KeyParameter(new byte[encryptionKey.length]), TAG_BITS, new byte[NONCE_BYTES]));
        gcmKeyed = false;
    }
}
