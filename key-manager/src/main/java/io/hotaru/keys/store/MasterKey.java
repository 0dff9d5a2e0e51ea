package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit key that encrypts a KME's stored keys at rest. Lives in a file readable by its
 * owner only; {@link #close()} wipes the in-memory copy.
 */
public final class MasterKey implements AutoCloseable {
    public static final int LENGTH = 32;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] key;
    private volatile boolean closed;

    private MasterKey(byte[] key) {
        this.key = key;
    }

    /**
     * Loads the key from {@code file}, or creates the file (mode 0600, 32 random bytes) if absent.
     *
     * @throws KeyManagerException {@code INSECURE_FILE} if group or others have any access to an
     *     existing file; {@code STORAGE} if it cannot be read or has the wrong length
     */
    public static MasterKey loadOrCreate(Path file) {
        if (!Files.exists(file)) {
            try {
                return create(file);
            } catch (FileAlreadyExistsException raced) {
                // another process created it between the check and the create: load theirs
            } catch (IOException e) {
                throw new KeyManagerException(Code.STORAGE, "cannot create master key file " + file + ": " + e, e);
            }
        }
        return load(file);
    }

    /** Wraps 32 bytes the caller generated (tests, or a key from an HSM); takes a copy. */
    public static MasterKey of(byte[] keyBytes) {
        if (keyBytes.length != LENGTH) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "master key must be " + LENGTH + " bytes");
        }
        return new MasterKey(keyBytes.clone());
    }

    private static MasterKey create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        byte[] fresh = new byte[LENGTH];
        new SecureRandom().nextBytes(fresh);
        try (SeekableByteChannel channel = Files.newByteChannel(
                file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            channel.write(ByteBuffer.wrap(fresh));
        } catch (IOException | RuntimeException e) {
            Arrays.fill(fresh, (byte) 0);
            throw e;
        }
        return new MasterKey(fresh);
    }

    private static MasterKey load(Path file) {
        byte[] bytes = null;
        try {
            requireOwnerOnly(file, "master key file");
            bytes = Files.readAllBytes(file);
            if (bytes.length != LENGTH) {
                throw new KeyManagerException(
                        Code.STORAGE,
                        "master key file " + file + " holds " + bytes.length + " bytes, expected " + LENGTH);
            }
            return new MasterKey(bytes);
        } catch (IOException e) {
            throw new KeyManagerException(Code.STORAGE, "cannot read master key file " + file + ": " + e, e);
        } catch (RuntimeException e) {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
            throw e;
        }
    }

    /**
     * Loads the master key from a PKCS#12 key store holding it as an AES secret-key entry. Like the
     * plain file, the key store must be readable by its owner only.
     *
     * @throws KeyManagerException {@code INSECURE_FILE} naming the file and {@code chmod 600} if
     *     group or others may access it; {@code STORAGE} if it cannot be read or holds no such key
     */
    public static MasterKey loadPkcs12(Path file, char[] password, String alias) {
        requireOwnerOnly(file, "master key store");
        try (InputStream in = Files.newInputStream(file)) {
            java.security.KeyStore p12 = java.security.KeyStore.getInstance("PKCS12");
            p12.load(in, password);
            java.security.Key key = p12.getKey(alias, password);
            if (!(key instanceof SecretKey secret) || secret.getEncoded() == null) {
                throw new KeyManagerException(
                        Code.STORAGE, "master key store " + file + " has no secret key '" + alias + "'");
            }
            byte[] bytes = secret.getEncoded();
            if (bytes.length != LENGTH) {
                Arrays.fill(bytes, (byte) 0);
                throw new KeyManagerException(
                        Code.STORAGE, "master key '" + alias + "' in " + file + " is not " + LENGTH + " bytes");
            }
            return new MasterKey(bytes);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyManagerException(Code.STORAGE, "cannot read master key store " + file + ": " + e, e);
        }
    }

    /** Writes a new random master key into a new PKCS#12 file (mode 0600) under {@code alias}. */
    public static void createPkcs12(Path file, char[] password, String alias) {
        byte[] fresh = new byte[LENGTH];
        new SecureRandom().nextBytes(fresh);
        try {
            java.security.KeyStore p12 = java.security.KeyStore.getInstance("PKCS12");
            p12.load(null, null);
            p12.setEntry(
                    alias,
                    new java.security.KeyStore.SecretKeyEntry(new SecretKeySpec(fresh, "AES")),
                    new java.security.KeyStore.PasswordProtection(password));
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
                p12.store(out, password);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyManagerException(Code.STORAGE, "cannot write master key store " + file + ": " + e, e);
        } finally {
            Arrays.fill(fresh, (byte) 0);
        }
    }

    private static void requireOwnerOnly(Path file, String what) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new KeyManagerException(Code.STORAGE, "cannot read " + what + " " + file + ": " + e, e);
        }
        if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new KeyManagerException(
                    Code.INSECURE_FILE,
                    what + " " + file + " is accessible by group or others ("
                            + PosixFilePermissions.toString(permissions)
                            + "); refusing to start. Restrict it with: chmod 600 " + file);
        }
    }

    /** The raw key, for the store's key derivation only. */
    byte[] bytes() {
        if (closed) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "master key has been closed");
        }
        return key;
    }

    /** Wipes the key from memory. Stores opened with it keep their own derived keys. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
