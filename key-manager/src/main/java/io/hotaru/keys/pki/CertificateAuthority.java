package io.hotaru.keys.pki;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority for one QKD network: EC P-256 keys, SHA256withECDSA signatures.
 * Issues KME certificates (TLS server, and client for KME-to-KME links) and SAE client
 * certificates whose CN is the SAE ID (and, if asked, a URI subject alternative name).
 */
public final class CertificateAuthority {
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IssuedCredential credential;

    private CertificateAuthority(IssuedCredential credential) {
        this.credential = credential;
    }

    /** A new self-signed CA (basic constraints CA, path length 0). */
    public static CertificateAuthority create(String commonName, Instant notBefore, Instant notAfter) {
        KeyPair keys = newKeyPair();
        X500Name name = name(commonName);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, name, keys.getPublic(), notBefore, notAfter)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(new IssuedCredential(sign(builder, keys.getPrivate()), keys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new KeyManagerException(Code.PKI, "cannot create CA " + commonName + ": " + e.getMessage(), e);
        }
    }

    /** The CA written by {@link Pki#create}, read back from its PEM files. */
    public static CertificateAuthority load(Path certificatePem, Path privateKeyPem) {
        return new CertificateAuthority(
                new IssuedCredential(PemFiles.readCertificate(certificatePem), PemFiles.readPrivateKey(privateKeyPem)));
    }

    public X509Certificate certificate() {
        return credential.certificate();
    }

    IssuedCredential credential() {
        return credential;
    }

    /**
     * A KME certificate: TLS server for SAEs (SAN DNS localhost, IP 127.0.0.1) and TLS client for
     * KME-to-KME links.
     */
    public IssuedCredential issueKme(String kmeId, Instant notBefore, Instant notAfter) {
        return issue(kmeId, notBefore, notAfter, true, null);
    }

    /** An SAE client certificate whose CN is the SAE ID. */
    public IssuedCredential issueSae(String saeId, Instant notBefore, Instant notAfter) {
        return issue(saeId, notBefore, notAfter, false, null);
    }

    /**
     * An SAE client certificate whose CN is {@code saeId} and which also carries {@code sanUri} as
     * its URI subject alternative name, for KMEs that read the SAE ID from the SAN URI.
     */
    public IssuedCredential issueSae(String saeId, URI sanUri, Instant notBefore, Instant notAfter) {
        return issue(saeId, notBefore, notAfter, false, sanUri);
    }

    private IssuedCredential issue(String commonName, Instant notBefore, Instant notAfter, boolean server, URI sanUri) {
        KeyPair keys = newKeyPair();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name issuer = X500Name.getInstance(
                    credential.certificate().getSubjectX500Principal().getEncoded());
            KeyPurposeId[] purposes = server
                    ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                    : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
            X509v3CertificateBuilder builder = builder(issuer, name(commonName), keys.getPublic(), notBefore, notAfter)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            ext.createAuthorityKeyIdentifier(credential.certificate()));
            if (server) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(
                            GeneralName.iPAddress,
                            InetAddress.getLoopbackAddress().getHostAddress())
                }));
            }
            if (sanUri != null) {
                builder.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, sanUri.toString())));
            }
            return new IssuedCredential(sign(builder, credential.privateKey()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new KeyManagerException(
                    Code.PKI, "cannot issue certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    private static X509v3CertificateBuilder builder(
            X500Name issuer, X500Name subject, PublicKey key, Instant notBefore, Instant notAfter) {
        if (!notAfter.isAfter(notBefore)) {
            throw new KeyManagerException(Code.PKI, "certificate validity ends before it starts: " + subject);
        }
        BigInteger serial = new BigInteger(127, RANDOM).setBit(126); // positive, 16 bytes
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, java.security.PrivateKey signer)
            throws GeneralSecurityException {
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder(SIGNATURE).build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Hotaru")
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new KeyManagerException(Code.PKI, "EC P-256 key generation unavailable: " + e.getMessage(), e);
        }
    }
}
