package io.hotaru.keys.pki;

import java.nio.file.Path;

/** Where one KME's or SAE's credential lives: {@code <id>.pem}, {@code <id>.key}, {@code <id>.p12}. */
public record CredentialFiles(String id, Path certificate, Path privateKey, Path pkcs12) {
    static CredentialFiles in(Path dir, String id) {
        return new CredentialFiles(id, dir.resolve(id + ".pem"), dir.resolve(id + ".key"), dir.resolve(id + ".p12"));
    }
}
