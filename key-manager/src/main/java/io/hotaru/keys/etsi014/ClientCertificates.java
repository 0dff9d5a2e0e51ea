package io.hotaru.keys.etsi014;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The identity of a connection, read from the client certificate that TLS verified and nothing else:
 * the SAE as {@link SaeIdentity} says, or the KME by its CN.
 */
final class ClientCertificates {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private ClientCertificates() {}

    static Optional<String> saeId(Channel channel, SaeIdentity identity) {
        return leaf(channel).flatMap(identity::saeId);
    }

    /**
     * The KME ID of a connection: the CN of a verified client certificate issued for a KME (one that
     * may also act as a TLS server). SAE certificates, client-only, identify no KME.
     */
    static Optional<String> kmeId(Channel channel) {
        return leaf(channel).filter(ClientCertificates::isKmeCertificate).flatMap(SaeIdentity::commonName);
    }

    static boolean isKmeCertificate(X509Certificate certificate) {
        try {
            List<String> purposes = certificate.getExtendedKeyUsage();
            return purposes != null && purposes.contains(SERVER_AUTH);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static Optional<X509Certificate> leaf(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            return Optional.of(leaf);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
