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
 */
final class KeySealer {
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] AAD_DOMAIN = "hotaru:stored-key:v1".getBytes(StandardCharsets.US_ASCII);

    record Sealed(byte[] nonce, byte[] ciphertext, byte[] digest) {}

    private final byte[] encryptionKey;
    private final byte[] macKey;
    private final SecureRandom random = new SecureRandom();

    KeySealer(MasterKey masterKey) {
        this.encryptionKey = derive(masterKey.bytes(), "hotaru:store:aes-gcm:v1");
        this.macKey = derive(masterKey.bytes(), "hotaru:store:hmac:v1");
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

    private GCMModeCipher gcm(boolean encrypt, UUID keyId, byte[] nonce) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(encryptionKey), TAG_BITS, nonce, aad(keyId)));
        return gcm;
    }

    private byte[] mac(UUID keyId, byte[] plaintext) {
        HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(macKey));
        byte[] id = uuidBytes(keyId);
        hmac.update(id, 0, id.length);
        hmac.update(plaintext, 0, plaintext.length);
        byte[] out = new byte[hmac.getMacSize()];
        hmac.doFinal(out, 0);
        return out;
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
    }
}
