package io.hotaru.keys.pki;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Reads and writes PEM and PKCS#12 files; secrets are created owner-only (0600) from the start. */
final class PemFiles {
    static final String PUBLIC = "rw-r--r--";
    static final String PRIVATE = "rw-------";

    private PemFiles() {}

    static void writeCertificate(Path file, X509Certificate certificate) {
        try (OutputStream out = create(file, PUBLIC);
                JcaPEMWriter pem = new JcaPEMWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII))) {
            pem.writeObject(certificate);
        } catch (IOException e) {
            throw failure("write", file, e);
        }
    }

    /** PKCS#8 ("BEGIN PRIVATE KEY"), unencrypted, mode 0600. */
    static void writePrivateKey(Path file, PrivateKey key) {
        try (OutputStream out = create(file, PRIVATE);
                JcaPEMWriter pem = new JcaPEMWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII))) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw failure("write", file, e);
        }
    }

    static void writePkcs12(Path file, String alias, IssuedCredential credential, X509Certificate ca, char[] password) {
        try (OutputStream out = create(file, PRIVATE)) {
            java.security.KeyStore p12 = java.security.KeyStore.getInstance("PKCS12");
            p12.load(null, null);
            p12.setKeyEntry(alias, credential.privateKey(), password, new Certificate[] {credential.certificate(), ca});
            p12.store(out, password);
        } catch (IOException | GeneralSecurityException e) {
            throw failure("write", file, e);
        }
    }

    static void writeText(Path file, String text, String permissions) {
        writeBytes(file, text.getBytes(StandardCharsets.UTF_8), permissions);
    }

    static void writeBytes(Path file, byte[] bytes, String permissions) {
        try (OutputStream out = create(file, permissions)) {
            out.write(bytes);
        } catch (IOException e) {
            throw failure("write", file, e);
        }
    }

    /** Writes {@code text} to a new file next to {@code file}, then moves it over {@code file}. */
    static void replaceText(Path file, String text, String permissions) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temp);
            writeText(temp, text, permissions);
            Files.move(
                    temp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw failure("write", file, e);
        }
    }

    static X509Certificate readCertificate(Path file) {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw failure("read", file, e);
        }
    }

    static PrivateKey readPrivateKey(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (!(object instanceof PrivateKeyInfo info)) {
                throw new KeyManagerException(Code.PKI, file + " holds no PKCS#8 private key");
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            throw failure("read", file, e);
        }
    }

    private static OutputStream create(Path file, String permissions) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        return Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static KeyManagerException failure(String verb, Path file, Exception e) {
        return new KeyManagerException(Code.PKI, "cannot " + verb + " " + file + ": " + e, e);
    }
}
