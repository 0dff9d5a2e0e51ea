package io.hotaru.keys.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate and its private key, as issued by the {@link CertificateAuthority}. */
public record IssuedCredential(X509Certificate certificate, PrivateKey privateKey) {
    @Override
    public String toString() {
        return "IssuedCredential[" + certificate.getSubjectX500Principal().getName() + ", serial "
                + certificate.getSerialNumber().toString(16) + "]";
    }
}
