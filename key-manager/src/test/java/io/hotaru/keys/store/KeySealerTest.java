package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
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
import org.junit.jupiter.api.Test;

/**
 * One sealer reuses its cipher and MAC for every unit: units must not bleed into each other. The
 * bytes on disk must stay those of the Bouncy Castle construction that sealed stores before the JDK's
 * cipher took over: a known-answer vector and units sealed by either opening with the other.
 */
class KeySealerTest {
    private static final HexFormat HEX = HexFormat.of();
    private final KeySealer sealer = new KeySealer(MasterKey.of(MasterKeyTest.filled((byte) 9)));

    /**
     * Master key 00..1f, key ID 00112233-4455-6677-8899-aabbccddeeff, nonce a0..ab, unit 20..3f. The
     * expected bytes were computed with Python's {@code cryptography} package (HKDF-SHA-256, AESGCM,
     * HMAC), independently of both Java implementations.
     */
    @Test
    void sealsTheKnownAnswerVector() {
        KeySealer fixed = new KeySealer(MasterKey.of(range(0x00, 32)));
        UUID id = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        KeySealer.Sealed sealed = fixed.seal(id, range(0x20, 32), range(0xa0, 12));
        assertThat(HEX.formatHex(sealed.ciphertext()))
                .isEqualTo("e6a79c73a101c5e21f9c0a7d875b1e4d3ef4644997d47e1249cc3b7ecc1a52ab"
                        + "f70c2847374b0eed87f84b374b93dad5");
        assertThat(HEX.formatHex(sealed.digest()))
                .isEqualTo("9e8f0169d8fb73eb35ee22f7e68837244cb4641766f085bbd9b8d1c02e5591a2");
        assertThat(fixed.open(id, sealed)).isEqualTo(range(0x20, 32));
    }

    @Test
    void unitsSealedByTheBouncyCastleConstructionOpenAndTheReverse() {
        byte[] master = MasterKeyTest.filled((byte) 9);
        Random random = new Random(11);
        for (int i = 0; i < 10; i++) {
            byte[] unit = new byte[KeyStore.KEY_BYTES * (1 + i % 3)];
            random.nextBytes(unit);
            UUID id = new UUID(random.nextLong(), random.nextLong());
            byte[] nonce = new byte[KeySealer.NONCE_BYTES];
            random.nextBytes(nonce);
            KeySealer.Sealed byBouncyCastle = bouncyCastleSeal(master, id, unit, nonce);
            assertThat(sealer.open(id, byBouncyCastle)).isEqualTo(unit);
            KeySealer.Sealed byJdk = sealer.seal(id, unit);
            KeySealer.Sealed again = bouncyCastleSeal(master, id, unit, byJdk.nonce());
            assertThat(byJdk.ciphertext()).isEqualTo(again.ciphertext());
            assertThat(byJdk.digest()).isEqualTo(again.digest());
        }
    }

    @Test
    void unitsSealedInTurnOpenInAnyOrder() {
        Random random = new Random(7);
        List<byte[]> plaintexts = new ArrayList<>();
        List<KeySealer.Sealed> sealed = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] unit = new byte[KeyStore.KEY_BYTES];
            random.nextBytes(unit);
            UUID id = new UUID(random.nextLong(), random.nextLong());
            plaintexts.add(unit);
            ids.add(id);
            sealed.add(sealer.seal(id, unit));
        }
        for (int i = 19; i >= 0; i--) {
            assertThat(sealer.open(ids.get(i), sealed.get(i))).isEqualTo(plaintexts.get(i));
        }
        assertThat(sealed.get(0).nonce()).isNotEqualTo(sealed.get(1).nonce());
        assertThat(sealed.get(0).digest()).isNotEqualTo(sealed.get(1).digest());
    }

    /** An opener for another thread opens what the sealer sealed, the known-answer vector included. */
    @Test
    void anOpenerOfAnotherThreadOpensWhatTheSealerSealed() throws Exception {
        KeySealer fixed = new KeySealer(MasterKey.of(range(0x00, 32)));
        UUID id = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        KeySealer.Sealed vector = fixed.seal(id, range(0x20, 32), range(0xa0, 12));
        UUID other = UUID.randomUUID();
        byte[] unit = range(0x40, 32);
        KeySealer.Sealed sealed = fixed.seal(other, unit);
        KeySealer.Opener opener = fixed.opener();
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            assertThat(thread.submit(() -> opener.open(id, vector)).get()).isEqualTo(range(0x20, 32));
            assertThat(thread.submit(() -> opener.open(other, sealed)).get()).isEqualTo(unit);
            assertThatThrownBy(() -> opener.open(id, sealed)).isInstanceOf(KeyManagerException.class);
        } finally {
            thread.shutdown();
            opener.close();
        }
        assertThat(fixed.open(other, sealed)).isEqualTo(unit);
    }

    @Test
    void aFailedOpenLeavesTheSealerUsable() {
        UUID id = UUID.randomUUID();
        byte[] unit = new byte[KeyStore.KEY_BYTES];
        unit[3] = 42;
        KeySealer.Sealed good = sealer.seal(id, unit);
        byte[] tampered = good.ciphertext().clone();
        tampered[0] ^= 1;
        assertThatThrownBy(() -> sealer.open(id, new KeySealer.Sealed(good.nonce(), tampered, good.digest())))
                .isInstanceOf(KeyManagerException.class);
        assertThatThrownBy(() -> sealer.open(UUID.randomUUID(), good)).isInstanceOf(KeyManagerException.class);
        assertThat(sealer.open(id, good)).isEqualTo(unit);
    }

    @Test
    void aWipedSealerNoLongerOpensWhatItSealed() {
        UUID id = UUID.randomUUID();
        KeySealer.Sealed sealed = sealer.seal(id, new byte[KeyStore.KEY_BYTES]);
        sealer.wipe();
        assertThatThrownBy(() -> sealer.open(id, sealed)).isInstanceOf(KeyManagerException.class);
    }

    /** The sealing of the store before the JDK's cipher: Bouncy Castle's AES-GCM and HMAC. */
    private static KeySealer.Sealed bouncyCastleSeal(byte[] master, UUID id, byte[] unit, byte[] nonce) {
        byte[] idBytes = ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
        byte[] aad = ByteBuffer.allocate(20 + 16)
                .put("hotaru:stored-key:v1".getBytes(StandardCharsets.US_ASCII))
                .put(idBytes)
                .array();
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(true, new AEADParameters(new KeyParameter(hkdf(master, "hotaru:store:aes-gcm:v1")), 128, nonce, aad));
        byte[] ciphertext = new byte[gcm.getOutputSize(unit.length)];
        int n = gcm.processBytes(unit, 0, unit.length, ciphertext, 0);
        try {
            gcm.doFinal(ciphertext, n);
        } catch (InvalidCipherTextException e) {
            throw new AssertionError(e);
        }
        HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(hkdf(master, "hotaru:store:hmac:v1")));
        hmac.update(idBytes, 0, idBytes.length);
        hmac.update(unit, 0, unit.length);
        byte[] digest = new byte[hmac.getMacSize()];
        hmac.doFinal(digest, 0);
        return new KeySealer.Sealed(nonce, ciphertext, digest);
    }

    private static byte[] hkdf(byte[] ikm, String info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, null, info.getBytes(StandardCharsets.US_ASCII)));
        byte[] out = new byte[32];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    private static byte[] range(int first, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }
}
