package io.hotaru.keys.etsi014;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** The SAE ID of a connection: the CN of the client certificate that TLS verified, nothing else. */
final class ClientCertificates {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private ClientCertificates() {}

    static Optional<String> saeId(Channel channel) {
        return leaf(channel).flatMap(ClientCertificates::commonName);
    }

    /**
     * The KME ID of a connection: the CN of a verified client certificate issued for a KME (one that
     * may also act as a TLS server). SAE certificates, client-only, identify no KME.
     */
    static Optional<String> kmeId(Channel channel) {
        return leaf(channel).filter(ClientCertificates::isKmeCertificate).flatMap(ClientCertificates::commonName);
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

    /** The single CN of the subject; none or several CNs identify nobody. */
    static Optional<String> commonName(X509Certificate certificate) {
        X500Name subject =
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        if (cns.length != 1 || cns[0].isMultiValued()) {
            return Optional.empty();
        }
        String cn = IETFUtils.valueToString(cns[0].getFirst().getValue());
        return cn.isBlank() ? Optional.empty() : Optional.of(cn);
    }
}
