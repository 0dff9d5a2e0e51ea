package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Encrypts keys at rest: AES-256-GCM with a random 96-bit nonce and the key ID as associated data
 * (a ciphertext moved to another row does not decrypt), plus HMAC-SHA-256 over key ID and plaintext
 * checked after decryption. Both keys are derived from the master key with HKDF-SHA-256.
 *
 * <p>The cipher and the MAC are the JDK's (SunJCE), which use the processor's AES, carry-less
 * multiply and SHA instructions; the bytes are those of the Bouncy Castle code that sealed stores
 * before (docs/adr/0014), so stores need no migration ({@code KeySealerTest} holds both to one
 * vector).
 *
 * <p>Not thread-safe: the cipher and MAC are built once (AES key schedule, HMAC pads) and reused for
 * every unit, so a sealer belongs to the store's writer thread. Another thread opens units with an
 * {@link Opener} of its own ({@link #opener}).
 */
final class KeySealer {
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String PROVIDER = "SunJCE";
    private static final byte[] AAD_DOMAIN = "hotaru:stored-key:v1".getBytes(StandardCharsets.US_ASCII);

    record Sealed(byte[] nonce, byte[] ciphertext, byte[] digest) {}

    private final WipeableKey encryptionKey;
    private final WipeableKey macKey;
    private final SecureRandom random = new SecureRandom();
    private final Cipher gcm;
    private final Mac hmac;
    /** The associated data: the domain, then the unit's key ID (rewritten for each unit). */
    private final byte[] aad = Arrays.copyOf(AAD_DOMAIN, AAD_DOMAIN.length + 16);
    /** The writer thread's own opener. */
    private final Opener opener;

    KeySealer(MasterKey masterKey) {
        this.encryptionKey = new WipeableKey(derive(masterKey.bytes(), "hotaru:store:aes-gcm:v1"), "AES");
        this.macKey = new WipeableKey(derive(masterKey.bytes(), "hotaru:store:hmac:v1"), "HmacSHA256");
        this.gcm = newCipher();
        this.hmac = newMac(macKey);
        this.opener = new Opener();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding", PROVIDER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    private static Mac newMac(SecretKey key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256", PROVIDER);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is required of every Java platform", e);
        }
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
        return seal(keyId, plaintext, nonce);
    }

    /** Seals under the given nonce, which must never have sealed anything before (known-answer tests). */
    Sealed seal(UUID keyId, byte[] plaintext, byte[] nonce) {
        byte[] ciphertext;
        try {
            gcm.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad(keyId));
            ciphertext = gcm.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM encryption cannot fail", e);
        }
        return new Sealed(nonce, ciphertext, mac(keyId, plaintext));
    }

    /** Returns the plaintext; the caller zeroes it. */
    byte[] open(UUID keyId, Sealed sealed) {
        return opener.open(keyId, sealed);
    }

    /**
     * An opener for one thread other than the writer's, with a cipher and MAC of its own under the
     * store's keys (a relay's pad lease, opened by the thread that asked for it instead of on the
     * writer thread, {@link PadUnits}); made on that thread. Close it once done.
     */
    Opener opener() {
        return new Opener();
    }

    /** Opens sealed units: not thread-safe, one thread at a time. */
    final class Opener implements AutoCloseable {
        private final Cipher cipher = newCipher();
        private final Mac mac = newMac(macKey);
        private final byte[] associated = Arrays.copyOf(AAD_DOMAIN, AAD_DOMAIN.length + 16);

        private Opener() {}

        /** Returns the plaintext; the caller zeroes it. */
        byte[] open(UUID keyId, Sealed sealed) {
            if (encryptionKey.isDestroyed()) {
                throw new KeyManagerException(Code.STORAGE, "the key store of stored key " + keyId + " is closed");
            }
            byte[] ciphertext = sealed.ciphertext();
            int length = ciphertext.length - TAG_BITS / 8;
            if (length < 0) {
                throw new KeyManagerException(Code.CORRUPT_KEY, "stored key " + keyId + " failed authentication");
            }
            byte[] plaintext = new byte[length];
            try {
                cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
                cipher.updateAAD(withKeyId(associated, keyId));
                cipher.doFinal(ciphertext, 0, ciphertext.length, plaintext, 0);
            } catch (GeneralSecurityException | RuntimeException e) {
                Arrays.fill(plaintext, (byte) 0);
                throw new KeyManagerException(Code.CORRUPT_KEY, "stored key " + keyId + " failed authentication");
            }
            byte[] expected = KeySealer.mac(mac, keyId, plaintext);
            if (!MessageDigest.isEqual(expected, sealed.digest())) {
                Arrays.fill(plaintext, (byte) 0);
                throw new KeyManagerException(Code.CORRUPT_KEY, "stored key " + keyId + " failed its digest check");
            }
            return plaintext;
        }

        /** Gives the cipher and the MAC zero keys, so that they drop what they derived from the real ones. */
        @Override
        public void close() {
            rekey(cipher, mac, new WipeableKey(new byte[32], "AES"), new WipeableKey(new byte[32], "HmacSHA256"));
        }
    }

    /**
     * A keyed digest of {@code secret} under {@code id} (HMAC-SHA-256 with the store's MAC key, as
     * every unit's digest): it tells whether a secret was seen before without storing anything from
     * which the secret could be guessed offline.
     */
    byte[] fingerprint(UUID id, byte[] secret) {
        return mac(id, secret);
    }

    private byte[] mac(UUID keyId, byte[] plaintext) {
        return mac(hmac, keyId, plaintext);
    }

    private static byte[] mac(Mac mac, UUID keyId, byte[] plaintext) {
        mac.update(uuidBytes(keyId));
        mac.update(plaintext);
        return mac.doFinal(); // also resets the MAC for the next unit, keeping its key
    }

    private byte[] aad(UUID keyId) {
        return withKeyId(aad, keyId);
    }

    /** Writes the key ID after the domain in {@code aad}, and returns it. */
    private static byte[] withKeyId(byte[] aad, UUID keyId) {
        ByteBuffer.wrap(aad, AAD_DOMAIN.length, 16)
                .putLong(keyId.getMostSignificantBits())
                .putLong(keyId.getLeastSignificantBits());
        return aad;
    }

    private static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
    }

    /**
     * Zeroes both keys and gives the cipher and the MAC zero keys, so that they drop the key
     * schedule and pads derived from the real ones.
     */
    void wipe() {
        encryptionKey.destroy();
        macKey.destroy();
        rekey(gcm, hmac, encryptionKey, macKey);
        opener.close();
    }

    private static void rekey(Cipher cipher, Mac mac, SecretKey cipherKey, SecretKey macKey) {
        try {
            mac.init(macKey);
            cipher.init(Cipher.DECRYPT_MODE, cipherKey, new GCMParameterSpec(TAG_BITS, new byte[NONCE_BYTES]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot rekey the store's cipher", e);
        }
    }

    /**
     * A raw secret key whose bytes this class owns and can zero ({@link javax.crypto.spec.SecretKeySpec}
     * keeps a copy nobody can wipe). The providers copy {@link #getEncoded} and zero their copy.
     */
    private static final class WipeableKey implements SecretKey {
        private static final long serialVersionUID = 1L;
        private final transient byte[] bytes;
        private final String algorithm;
        private volatile boolean destroyed;

        WipeableKey(byte[] bytes, String algorithm) {
            this.bytes = bytes;
            this.algorithm = algorithm;
        }

        @Override
        public String getAlgorithm() {
            return algorithm;
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return bytes.clone();
        }

        @Override
        public void destroy() {
            Arrays.fill(bytes, (byte) 0);
            destroyed = true;
        }

        @Override
        public boolean isDestroyed() {
            return destroyed;
        }
    }
}
