package io.hotaru.keys.pki;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** The files of a PKI directory written by {@link Pki#create}; see the README written next to them. */
public record PkiFiles(
        Path dir,
        Path caCertificate,
        Path caPrivateKey,
        Path pkcs12Password,
        Path readme,
        Map<String, CredentialFiles> kmes,
        Map<String, CredentialFiles> saes) {

    static final String CA_CERTIFICATE = "ca.pem";
    static final String CA_PRIVATE_KEY = "ca.key";
    static final String PKCS12_PASSWORD = "pkcs12.password";
    static final String README = "README.md";

    public PkiFiles {
        kmes = Map.copyOf(kmes);
        saes = Map.copyOf(saes);
    }

    static PkiFiles layout(Path dir, Map<String, CredentialFiles> kmes, Map<String, CredentialFiles> saes) {
        return new PkiFiles(
                dir,
                dir.resolve(CA_CERTIFICATE),
                dir.resolve(CA_PRIVATE_KEY),
                dir.resolve(PKCS12_PASSWORD),
                dir.resolve(README),
                kmes,
                saes);
    }

    public CredentialFiles kme(String kmeId) {
        return find(kmes, kmeId, "KME");
    }

    public CredentialFiles sae(String saeId) {
        return find(saes, saeId, "SAE");
    }

    /** The password of every {@code .p12} file of this directory; wipe it after use. */
    public char[] readPkcs12Password() {
        byte[] bytes = null;
        try {
            bytes = Files.readAllBytes(pkcs12Password);
            char[] password = new char[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                password[i] = (char) bytes[i]; // written as ASCII
            }
            return password;
        } catch (IOException e) {
            throw new KeyManagerException(Code.PKI, "cannot read " + pkcs12Password + ": " + e, e);
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private CredentialFiles find(Map<String, CredentialFiles> credentials, String id, String kind) {
        CredentialFiles files = credentials.get(id);
        if (files == null) {
            throw new KeyManagerException(Code.PKI, "no " + kind + " " + id + " in PKI directory " + dir);
        }
        return files;
    }
}
