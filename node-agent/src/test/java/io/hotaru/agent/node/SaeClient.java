package io.hotaru.agent.node;

import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** An SAE asking a KME's ETSI GS QKD 014 server on localhost, with its certificate from the PKI. */
final class SaeClient {
    private final SSLContext tls;

    SaeClient(PkiFiles pki, String sae) {
        this.tls = TlsContexts.jdkClient(pki.sae(sae), pki.readPkcs12Password(), pki.caCertificate());
    }

    /** GET {@code path} (e.g. {@code /api/v1/keys/sae-b/status}) from the server on {@code port}. */
    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
