package io.hotaru.agent.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.agent.cli.HotaruCli;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return HotaruCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void initWritesPemPkcs12AndAReadmeWithCurlLinesForEachSaeAtItsKme() throws Exception {
        Path dir = tmp.resolve("pki");
        assertThat(run("pki", "init", "--dir", dir.toString(), "--kme", "A,B", "--sae", "sae-a@A,sae-b@B"))
                .as(err.toString())
                .isZero();
        for (String id : new String[] {"A", "B", "sae-a", "sae-b"}) {
            assertThat(dir.resolve(id + ".pem")).isRegularFile();
            assertThat(dir.resolve(id + ".p12")).isRegularFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(id + ".key"))))
                    .isEqualTo("rw-------");
        }
        String readme = Files.readString(dir.resolve("README.md"));
        assertThat(readme)
                .contains("export HOTARU_KME_A=")
                .contains("curl --cacert ca.pem --cert sae-a.pem --key sae-a.key"
                        + " \"https://${HOTARU_KME_A}/api/v1/keys/sae-b/enc_keys?number=1&size=256\"")
                .contains("curl --cacert ca.pem --cert sae-b.pem --key sae-b.key"
                        + " \"https://${HOTARU_KME_B}/api/v1/keys/sae-a/dec_keys?key_ID=KEY_ID\"");

        assertThat(run("pki", "issue-sae", "sae-c@B", "--dir", dir.toString()))
                .as(err.toString())
                .isZero();
        assertThat(dir.resolve("sae-c.p12")).isRegularFile();
        assertThat(Files.readString(dir.resolve("README.md")))
                .contains("\"https://${HOTARU_KME_B}/api/v1/keys/sae-a/dec_keys?key_ID=KEY_ID\"")
                .contains("--cert sae-c.pem");

        assertThat(run("pki", "issue-sae", "sae-u@A", "--dir", dir.toString(), "--san-uri", "urn:hotaru:sae:sae-u"))
                .as(err.toString())
                .isZero();
        X509Certificate certificate;
        try (InputStream pem = Files.newInputStream(dir.resolve("sae-u.pem"))) {
            certificate =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
        }
        assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(6, "urn:hotaru:sae:sae-u"));
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        Path dir = tmp.resolve("pki");
        assertUsageError("pki", "init", "--dir", dir.toString(), "--kme", "A,B", "--sae", "sae-a");
        assertUsageError("pki", "init", "--dir", dir.toString(), "--kme", "A,B", "--sae", "sae-a@C");
        assertUsageError("pki", "init", "--dir", dir.toString(), "--kme", "A,B", "--sae", "bad id@A");
        assertUsageError(
                "pki", "issue-sae", "sae-x@A", "--dir", tmp.resolve("nothing").toString());
        assertThat(run("pki", "init", "--dir", dir.toString(), "--kme", "A", "--sae", "sae-a@A"))
                .isZero();
        assertUsageError("pki", "init", "--dir", dir.toString(), "--kme", "A", "--sae", "sae-a@A");
        assertUsageError("pki", "issue-sae", "sae-a@A", "--dir", dir.toString());
        assertUsageError("pki", "issue-sae", "sae-z@Q", "--dir", dir.toString());
        assertUsageError("pki", "issue-sae", "sae-y@A", "--dir", dir.toString(), "--san-uri", "no-scheme");
    }

    private void assertUsageError(String... args) {
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip())
                .as(String.join(" ", args))
                .startsWith("hotaru: ")
                .doesNotContain("\n");
    }
}
