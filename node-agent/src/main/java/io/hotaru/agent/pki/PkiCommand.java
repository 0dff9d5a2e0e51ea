package io.hotaru.agent.pki;

import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.keys.pki.CredentialFiles;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.keys.pki.PkiOptions;
import io.hotaru.keys.store.KeyManagerException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./hotaru pki}: certificates for KMEs and SAEs, ready for mutual TLS. */
@Command(
        name = "pki",
        mixinStandardHelpOptions = true,
        description = "Create the certificates of a QKD network (CA, KMEs, SAEs) and add SAEs to it.",
        subcommands = {PkiCommand.Init.class, PkiCommand.IssueSae.class})
public final class PkiCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a pki command is required");
    }

    /** {@code pki init --dir DIR --kme A,B --sae sae-a@A,sae-b@B}. */
    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description = "Create a CA, a server certificate per KME and a client certificate per SAE (PEM and"
                    + " PKCS#12), with a README holding ready curl lines.")
    static final class Init implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "New directory for the files.")
        private Path dir;

        @Option(
                names = "--kme",
                required = true,
                split = ",",
                paramLabel = "KME",
                description = "The KME IDs, comma-separated, e.g. A,B.")
        private List<String> kmes;

        @Option(
                names = "--sae",
                required = true,
                split = ",",
                paramLabel = "SAE@KME",
                description = "The SAEs and the KME each is attached to, e.g. sae-a@A,sae-b@B.")
        private List<String> saes;

        @Override
        public Integer call() {
            Map<String, String> kmeOfSae = new LinkedHashMap<>();
            for (String sae : saes) {
                String[] parts = splitAttachment(sae);
                if (kmeOfSae.put(parts[0], parts[1]) != null) {
                    throw usage("SAE '" + parts[0] + "' is given twice");
                }
            }
            PkiFiles files = run(() -> Pki.create(dir, kmes, kmeOfSae, PkiOptions.defaults()));
            spec.commandLine()
                    .getOut()
                    .printf(
                            "Created a CA, %d KME and %d SAE certificates in %s; see %s%n",
                            files.kmes().size(), files.saes().size(), files.dir(), files.readme());
            return ExitCodes.OK;
        }
    }

    /** {@code pki issue-sae NAME@KME --dir DIR}. */
    @Command(
            name = "issue-sae",
            mixinStandardHelpOptions = true,
            description = "Add one SAE client certificate (PEM and PKCS#12) to a directory made by 'pki init'.")
    static final class IssueSae implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME@KME", description = "The new SAE and the KME it is attached to.")
        private String attachment;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The PKI directory.")
        private Path dir;

        @Option(
                names = "--san-uri",
                paramLabel = "URI",
                description = "Also name the SAE by this URI subject alternative name, for KMEs that take"
                        + " the SAE ID from the SAN URI (e.g. urn:hotaru:sae:NAME).")
        private String sanUri;

        @Override
        public Integer call() {
            String[] parts = splitAttachment(attachment);
            URI uri = sanUri == null ? null : parseUri(sanUri);
            CredentialFiles files = run(() -> Pki.issueSae(dir, parts[0], parts[1], uri, PkiOptions.defaults()));
            spec.commandLine()
                    .getOut()
                    .printf(
                            "Issued %s for KME %s: %s, %s, %s%n",
                            parts[0], parts[1], files.certificate(), files.privateKey(), files.pkcs12());
            return ExitCodes.OK;
        }
    }

    private static URI parseUri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw usage("--san-uri '" + text + "' is not a URI: " + e.getReason());
        }
    }

    private static String[] splitAttachment(String text) {
        String[] parts = text.split("@", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw usage("'" + text + "' is not NAME@KME (an SAE ID, '@', and the ID of its KME)");
        }
        return parts;
    }

    /** Runs a PKI call; bad input becomes exit code 2, anything else exit code 1, both as one line. */
    private static <T> T run(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (KeyManagerException e) {
            if (e.code() == KeyManagerException.Code.INVALID_ARGUMENT) {
                throw usage(e.getMessage());
            }
            throw new CliFailure(ExitCodes.RUNTIME, e.getMessage(), e);
        }
    }

    private static CliFailure usage(String message) {
        return new CliFailure(ExitCodes.USAGE, message);
    }
}
