package io.hotaru.keys.peer;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * Mutual TLS between two key managers: this node's certificate chain and PKCS#8 private key, and
 * the CA certificates it trusts for peers, all PEM files. TLS 1.3 only; the server requires a
 * client certificate and the client checks the server's name against the address it dials. This
 * is the computational outer layer; Wegman–Carter tags inside it are what make keys ITS.
 */
public record PeerTls(Path certificateChain, Path privateKey, Path trustedCertificates) {
    public PeerTls {
        for (Path p : new Path[] {certificateChain, privateKey, trustedCertificates}) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("TLS file not readable: " + p);
            }
        }
    }

    public SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .trustManager(trustedCertificates.toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols("TLSv1.3")
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot build the server TLS context from " + certificateChain, e);
        }
    }

    public SslContext clientContext() {
        try {
            return SslContextBuilder.forClient()
                    .keyManager(certificateChain.toFile(), privateKey.toFile())
                    .trustManager(trustedCertificates.toFile())
                    .protocols("TLSv1.3")
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot build the client TLS context from " + certificateChain, e);
        }
    }
}
