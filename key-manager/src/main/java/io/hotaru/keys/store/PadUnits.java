package io.hotaru.keys.store;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Link-key units taken out of the store to serve as a one-time pad (a relay hop): their IDs and
 * their plaintext concatenated in ID order. The units are already erased in the store when this is
 * returned. Close it to zero the plaintext.
 *
 * <p>Units a relay store step took in a block ({@link RelayStore.Tx#takeUpTo}, {@link
 * RelayStore.Tx#takeNamedOfHalf}) come sealed, as read with the pick: the first call to {@link
 * #material} opens them, on its own thread and with an opener made there, so that the store's writer
 * thread does not spend a lease's 256 decryptions while other steps wait behind it.
 */
public final class PadUnits implements AutoCloseable {
    private final List<UUID> unitIds;
    private byte[] material;
    /** Until opened: the units as read; the openers and the count of units opened of their store. */
    private List<KeyTable.Unit> sealed;

    private Supplier<KeySealer.Opener> openers;
    private AtomicLong opened;
    private boolean closed;

    /** Units taken (erased) already, and their plaintext in the same order; {@code material} is kept, not copied. */
    public PadUnits(List<UUID> unitIds, byte[] material) {
        this.unitIds = List.copyOf(unitIds);
        this.material = material;
    }

    private PadUnits(List<KeyTable.Unit> sealed, Supplier<KeySealer.Opener> openers, AtomicLong opened) {
        this.unitIds = sealed.stream().map(KeyTable.Unit::keyId).toList();
        this.sealed = List.copyOf(sealed);
        this.openers = openers;
        this.opened = opened;
    }

    /**
     * Units taken (erased) already, as read with their sealed material: opened when first read, by an
     * opener from {@code openers} made on the reading thread.
     */
    static PadUnits sealed(List<KeyTable.Unit> units, Supplier<KeySealer.Opener> openers, AtomicLong opened) {
        return new PadUnits(units, openers, opened);
    }

    public List<UUID> unitIds() {
        return unitIds;
    }

    /**
     * The pad itself, not a copy: read it, never keep the array. Zeroed by {@link #close()}.
     *
     * @throws KeyManagerException {@code CORRUPT_KEY} if a sealed unit fails to open (it stays
     *     erased in the store; nothing of the pad is returned), {@code STORAGE} if its store closed
     *     before it was opened
     * @throws IllegalStateException once closed: a pad of zeros is never handed out
     */
    public synchronized byte[] material() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (material == null) {
            if (sealed == null) {
                throw new KeyManagerException(
                        KeyManagerException.Code.CORRUPT_KEY, "the units of " + this + " failed to open");
            }
            open();
        }
        return material;
    }

    private void open() {
        byte[] pad = new byte[sealed.size() * KeyStore.KEY_BYTES];
        try (KeySealer.Opener opener = openers.get()) {
            for (int i = 0; i < sealed.size(); i++) {
                KeyTable.Unit u = sealed.get(i);
                if (u.sealed().ciphertext() == null) {
                    throw new KeyManagerException(
                            KeyManagerException.Code.CORRUPT_KEY, "stored key " + u.keyId() + " has no ciphertext");
                }
                byte[] unit = opener.open(u.keyId(), u.sealed());
                System.arraycopy(unit, 0, pad, i * KeyStore.KEY_BYTES, KeyStore.KEY_BYTES);
                Arrays.fill(unit, (byte) 0);
            }
            opened.addAndGet(sealed.size());
            material = pad;
        } catch (RuntimeException e) {
            Arrays.fill(pad, (byte) 0);
            throw e;
        } finally {
            forgetSealed();
        }
    }

    private void forgetSealed() {
        sealed = null;
        openers = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        forgetSealed();
        if (material != null) {
            Arrays.fill(material, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "PadUnits[" + unitIds.size() + " units]";
    }
}
