package io.hotaru.keys.pki;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS contexts built from a PKI directory. Only the network's CA is trusted and only TLS 1.3 is
 * spoken; servers require a client certificate.
 *
 * <p>The Netty contexts run on BoringSSL (netty-tcnative) where this platform has it, else on the
 * JDK's TLS, with one log line saying why. Both check the peer against the same JDK trust manager
 * (CA, validity), so the choice changes the cost of TLS, not what it accepts. The system property
 * {@value #PROVIDER_PROPERTY} ({@code openssl} or {@code jdk}) forces one.
 */
public final class TlsContexts {
    public static final String PROTOCOL = "TLSv1.3";
    /** System property naming the TLS implementation of the Netty contexts: openssl or jdk. */
    public static final String PROVIDER_PROPERTY = "hotaru.tls.provider";

    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
    private static volatile SslProvider chosen;

    private TlsContexts() {}

    /**
     * The TLS implementation of the Netty contexts: as {@value #PROVIDER_PROPERTY} says, else OpenSSL
     * (BoringSSL) when it loads and speaks TLS 1.3, else the JDK's.
     *
     * @throws KeyManagerException {@code TLS} if the property names something else, or OpenSSL when
     *     it cannot load
     */
    public static SslProvider provider() {
        SslProvider provider = chosen;
        if (provider == null) {
            provider = choose(System.getProperty(PROVIDER_PROPERTY, ""));
            chosen = provider;
        }
        return provider;
    }

    static SslProvider choose(String wanted) {
        boolean openSsl = OpenSsl.isAvailable() && SslProvider.isTlsv13Supported(SslProvider.OPENSSL);
        switch (wanted.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "jdk":
                log.info("TLS on the JDK provider ({}=jdk)", PROVIDER_PROPERTY);
                return SslProvider.JDK;
            case "openssl":
                if (!openSsl) {
                    throw new KeyManagerException(
                            Code.TLS,
                            PROVIDER_PROPERTY + "=openssl but OpenSSL cannot be used here: " + whyNotOpenSsl()
                                    + "; set " + PROVIDER_PROPERTY + "=jdk or leave it unset");
                }
                log.info("TLS on OpenSSL ({}), as {}=openssl asks", OpenSsl.versionString(), PROVIDER_PROPERTY);
                return SslProvider.OPENSSL;
            case "":
                if (openSsl) {
                    log.info("TLS on OpenSSL ({})", OpenSsl.versionString());
                    return SslProvider.OPENSSL;
                }
                log.info("TLS on the JDK provider: OpenSSL cannot be used here ({})", whyNotOpenSsl());
                return SslProvider.JDK;
            default:
                throw new KeyManagerException(
                        Code.TLS, PROVIDER_PROPERTY + "=" + wanted + " is not a TLS provider; use openssl or jdk");
        }
    }

    private static String whyNotOpenSsl() {
        Throwable cause = OpenSsl.unavailabilityCause();
        if (cause != null) {
            return cause.toString();
        }
        return "it does not speak " + PROTOCOL;
    }

    /** The ETSI GS QKD 014 server context of a KME: mutual TLS required, trusting the CA only. */
    public static SslContext kmeServer(PkiFiles pki, String kmeId) {
        return server(pki.kme(kmeId), pki.caCertificate());
    }

    public static SslContext server(CredentialFiles credential, Path caCertificate) {
        try {
            return SslContextBuilder.forServer(
                            credential.certificate().toFile(),
                            credential.privateKey().toFile())
                    .trustManager(caCertificate.toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols(PROTOCOL)
                    .sslProvider(provider())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw failure(credential, e);
        }
    }

    /** A Netty client context presenting {@code credential} (SAE in tests, KME on KME-to-KME links). */
    public static SslContext client(CredentialFiles credential, Path caCertificate) {
        try {
            return SslContextBuilder.forClient()
                    .keyManager(
                            credential.certificate().toFile(),
                            credential.privateKey().toFile())
                    .trustManager(caCertificate.toFile())
                    .protocols(PROTOCOL)
                    .sslProvider(provider())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw failure(credential, e);
        }
    }

    /** A JDK client context (for {@code java.net.http.HttpClient}) from the credential's PKCS#12 file. */
    public static SSLContext jdkClient(CredentialFiles credential, char[] pkcs12Password, Path caCertificate) {
        try (InputStream in = Files.newInputStream(credential.pkcs12())) {
            KeyStore p12 = KeyStore.getInstance("PKCS12");
            p12.load(in, pkcs12Password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(p12, pkcs12Password);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keys.getKeyManagers(), trustOnly(caCertificate).getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw failure(credential, e);
        }
    }

    /** A JDK trust manager factory that trusts the CA certificate and nothing else. */
    public static TrustManagerFactory trustOnly(Path caCertificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", PemFiles.readCertificate(caCertificate));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyManagerException(Code.TLS, "cannot trust " + caCertificate + ": " + e.getMessage(), e);
        }
    }

    private static KeyManagerException failure(CredentialFiles credential, Exception e) {
        return new KeyManagerException(
                Code.TLS, "cannot build TLS context for " + credential.id() + ": " + e.getMessage(), e);
    }
}
