package io.hotaru.keys.etsi014;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** The SAE ID of a connection: the CN of the client certificate that TLS verified, nothing else. */
final class ClientCertificates {
    private ClientCertificates() {}

    static Optional<String> saeId(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            return commonName(leaf);
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
