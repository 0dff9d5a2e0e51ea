package io.hotaru.keys.peer;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA and node certificates (EC P-256) written as PEM files, for TLS tests. */
final class TestPki {
    private final Path dir;
    private final KeyPair caKeys;
    private final X509CertificateHolder caCert;
    private final X500Name caName;
    private long serial = 2;

    TestPki(Path dir, String caName) throws Exception {
        this.dir = dir;
        this.caKeys = keyPair();
        this.caName = new X500Name("CN=" + caName);
        Instant now = Instant.now();
        this.caCert = new JcaX509v3CertificateBuilder(
                        this.caName,
                        BigInteger.ONE,
                        Date.from(now.minus(1, ChronoUnit.HOURS)),
                        Date.from(now.plus(1, ChronoUnit.DAYS)),
                        this.caName,
                        caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
        write(dir.resolve(caName + "-ca.pem"), caCert);
    }

    Path caFile() {
        return dir.resolve(caName.toString().substring(3) + "-ca.pem");
    }

    /** A node certificate for {@code name}, valid for the host names/addresses in {@code sans}. */
    PeerTls issue(String name, String... sans) throws Exception {
        KeyPair keys = keyPair();
        GeneralName[] names = new GeneralName[sans.length];
        for (int i = 0; i < sans.length; i++) {
            names[i] = sans[i].matches("[0-9.]+")
                    ? new GeneralName(GeneralName.iPAddress, sans[i])
                    : new GeneralName(GeneralName.dNSName, sans[i]);
        }
        Instant now = Instant.now();
        X509CertificateHolder cert = new JcaX509v3CertificateBuilder(
                        caName,
                        BigInteger.valueOf(serial++),
                        Date.from(now.minus(1, ChronoUnit.HOURS)),
                        Date.from(now.plus(1, ChronoUnit.DAYS)),
                        new X500Name("CN=" + name),
                        keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
        Path certFile = dir.resolve(name + ".pem");
        Path keyFile = dir.resolve(name + "-key.pem");
        write(certFile, cert);
        write(keyFile, new JcaPKCS8Generator(keys.getPrivate(), null));
        return new PeerTls(certFile, keyFile, caFile());
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static void write(Path file, Object pem) throws IOException {
        try (Writer w = Files.newBufferedWriter(file);
                JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(pem instanceof JcaPKCS8Generator g ? g.generate() : pem);
        }
    }
}
