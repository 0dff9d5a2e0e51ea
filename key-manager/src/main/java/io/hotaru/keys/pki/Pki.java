package io.hotaru.keys.pki;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates the certificates of a QKD network into one directory: a CA, a certificate per KME and
 * a client certificate per SAE (CN = SAE ID), as PEM and PKCS#12, with a README on how to use them.
 */
public final class Pki {
    private static final Logger log = LoggerFactory.getLogger(Pki.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final char[] PASSWORD_ALPHABET =
            "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private Pki() {}

    public static PkiFiles create(Path dir, List<String> kmeIds, List<String> saeIds) {
        return create(dir, kmeIds, saeIds, PkiOptions.defaults());
    }

    /**
     * Writes a new PKI into {@code dir} (created if needed). Refuses a directory that already holds
     * a CA, so an existing network is never silently re-keyed.
     */
    public static PkiFiles create(Path dir, List<String> kmeIds, List<String> saeIds, PkiOptions options) {
        return create(dir, kmeIds, saeIds, options, null);
    }

    /**
     * Writes a new PKI for a network whose SAEs are attached to named KMEs: as {@link #create}, plus
     * {@code network.properties} (which SAE is attached to which KME) and a README whose curl lines
     * name each SAE's own KME. This is {@code ./hotaru pki init}.
     *
     * @param kmeOfSae each SAE and its KME, in the order to list them
     * @throws KeyManagerException {@code INVALID_ARGUMENT} for a malformed or repeated ID, an SAE of
     *     an unknown KME, or a directory that already holds a CA
     */
    public static PkiFiles create(Path dir, List<String> kmeIds, Map<String, String> kmeOfSae, PkiOptions options) {
        PkiNetwork network = new PkiNetwork(kmeIds, kmeOfSae);
        return create(dir, kmeIds, List.copyOf(kmeOfSae.keySet()), options, network);
    }

    private static PkiFiles create(
            Path dir, List<String> kmeIds, List<String> saeIds, PkiOptions options, PkiNetwork network) {
        validateIds(kmeIds, saeIds);
        Instant now = options.clock().instant();
        Instant notBefore = now.minus(PkiOptions.BACKDATE);
        Instant notAfter = now.plus(options.validity());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KeyManagerException(Code.PKI, "cannot create PKI directory " + dir + ": " + e, e);
        }
        PkiFiles layout = PkiFiles.layout(dir, Map.of(), Map.of());
        if (Files.exists(layout.caCertificate())) {
            throw new KeyManagerException(
                    Code.INVALID_ARGUMENT,
                    "PKI directory " + dir + " already holds "
                            + layout.caCertificate().getFileName());
        }
        CertificateAuthority ca = CertificateAuthority.create(options.caName(), notBefore, notAfter);
        PemFiles.writeCertificate(layout.caCertificate(), ca.certificate());
        PemFiles.writePrivateKey(layout.caPrivateKey(), ca.credential().privateKey());
        char[] password = newPassword();
        try {
            byte[] passwordBytes = new byte[password.length];
            for (int i = 0; i < password.length; i++) {
                passwordBytes[i] = (byte) password[i]; // ASCII alphabet
            }
            PemFiles.writeBytes(layout.pkcs12Password(), passwordBytes, PemFiles.PRIVATE);
            Arrays.fill(passwordBytes, (byte) 0);
            Map<String, CredentialFiles> kmes = new LinkedHashMap<>();
            for (String kmeId : kmeIds) {
                kmes.put(kmeId, write(dir, ca, ca.issueKme(kmeId, notBefore, notAfter), kmeId, password));
            }
            Map<String, CredentialFiles> saes = new LinkedHashMap<>();
            for (String saeId : saeIds) {
                saes.put(saeId, write(dir, ca, ca.issueSae(saeId, notBefore, notAfter), saeId, password));
            }
            PkiFiles files = PkiFiles.layout(dir, kmes, saes);
            PemFiles.writeText(files.readme(), PkiReadme.render(kmeIds, saeIds, notAfter), PemFiles.PUBLIC);
            if (network != null) {
                network.write(dir);
                PemFiles.replaceText(files.readme(), PkiReadme.render(network, notAfter), PemFiles.PUBLIC);
            }
            log.info("Created PKI in {} for KMEs {} and SAEs {}, valid until {}", dir, kmeIds, saeIds, notAfter);
            return files;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The files of a PKI directory created before, checked to exist. */
    public static PkiFiles open(Path dir, List<String> kmeIds, List<String> saeIds) {
        Map<String, CredentialFiles> kmes = new LinkedHashMap<>();
        kmeIds.forEach(id -> kmes.put(id, CredentialFiles.in(dir, id)));
        Map<String, CredentialFiles> saes = new LinkedHashMap<>();
        saeIds.forEach(id -> saes.put(id, CredentialFiles.in(dir, id)));
        PkiFiles files = PkiFiles.layout(dir, kmes, saes);
        Stream.concat(
                        Stream.of(files.caCertificate(), files.pkcs12Password()),
                        Stream.concat(kmes.values().stream(), saes.values().stream())
                                .flatMap(c -> Stream.of(c.certificate(), c.privateKey(), c.pkcs12())))
                .filter(f -> !Files.isRegularFile(f))
                .findFirst()
                .ifPresent(missing -> {
                    throw new KeyManagerException(Code.PKI, "PKI file " + missing + " is missing");
                });
        return files;
    }

    /**
     * Issues one more SAE certificate from the CA of an existing PKI directory, with explicit
     * validity (for example to add an SAE, or an expired certificate for a negative test).
     */
    public static CredentialFiles issueSae(PkiFiles pki, String saeId, Instant notBefore, Instant notAfter) {
        return issueSae(pki, saeId, null, notBefore, notAfter);
    }

    /** As {@link #issueSae(PkiFiles, String, Instant, Instant)}, adding {@code sanUri} (if not null) as URI SAN. */
    public static CredentialFiles issueSae(
            PkiFiles pki, String saeId, URI sanUri, Instant notBefore, Instant notAfter) {
        validateIds(List.of(), List.of(saeId));
        requireAbsolute(sanUri);
        CertificateAuthority ca = CertificateAuthority.load(pki.caCertificate(), pki.caPrivateKey());
        char[] password = pki.readPkcs12Password();
        try {
            IssuedCredential credential = sanUri == null
                    ? ca.issueSae(saeId, notBefore, notAfter)
                    : ca.issueSae(saeId, sanUri, notBefore, notAfter);
            return write(pki.dir(), ca, credential, saeId, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Adds one SAE attached to {@code kmeId} to a PKI directory made by {@code pki init}: issues its
     * certificate (valid for the default validity from now), records it in {@code
     * network.properties} and rewrites the README. This is {@code ./hotaru pki issue-sae}.
     *
     * @throws KeyManagerException {@code INVALID_ARGUMENT} for a malformed ID, an unknown KME, an SAE
     *     that exists already, or a directory without a CA
     */
    public static CredentialFiles issueSae(Path dir, String saeId, String kmeId, PkiOptions options) {
        return issueSae(dir, saeId, kmeId, null, options);
    }

    /**
     * As {@link #issueSae(Path, String, String, PkiOptions)}; the certificate also carries {@code
     * sanUri} (if not null) as its URI subject alternative name ({@code pki issue-sae --san-uri}).
     *
     * @throws KeyManagerException {@code INVALID_ARGUMENT} also for a URI that is not absolute
     */
    public static CredentialFiles issueSae(Path dir, String saeId, String kmeId, URI sanUri, PkiOptions options) {
        requireAbsolute(sanUri);
        PkiFiles layout = PkiFiles.layout(dir, Map.of(), Map.of());
        if (!Files.isRegularFile(layout.caCertificate()) || !Files.isRegularFile(layout.caPrivateKey())) {
            throw new KeyManagerException(
                    Code.INVALID_ARGUMENT, "PKI directory " + dir + " holds no CA; create it with 'pki init'");
        }
        PkiNetwork network = PkiNetwork.read(dir);
        if (!network.kmeIds().contains(kmeId)) {
            throw new KeyManagerException(
                    Code.INVALID_ARGUMENT,
                    "unknown KME '" + kmeId + "'; the KMEs of " + dir + " are " + network.kmeIds());
        }
        if (network.kmeOfSae().containsKey(saeId) || network.kmeIds().contains(saeId)) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "ID '" + saeId + "' is already used in " + dir);
        }
        Instant now = options.clock().instant();
        Instant notAfter = now.plus(options.validity());
        CredentialFiles files = issueSae(layout, saeId, sanUri, now.minus(PkiOptions.BACKDATE), notAfter);
        PkiNetwork grown = network.with(saeId, kmeId);
        grown.write(dir);
        PemFiles.replaceText(layout.readme(), PkiReadme.render(grown, notAfter), PemFiles.PUBLIC);
        log.info("Issued SAE {} of KME {} in {}", saeId, kmeId, dir);
        return files;
    }

    private static CredentialFiles write(
            Path dir, CertificateAuthority ca, IssuedCredential credential, String id, char[] password) {
        CredentialFiles files = CredentialFiles.in(dir, id);
        PemFiles.writeCertificate(files.certificate(), credential.certificate());
        PemFiles.writePrivateKey(files.privateKey(), credential.privateKey());
        PemFiles.writePkcs12(files.pkcs12(), id, credential, ca.certificate(), password);
        return files;
    }

    private static void requireAbsolute(URI sanUri) {
        if (sanUri != null && !sanUri.isAbsolute()) {
            throw new KeyManagerException(
                    Code.INVALID_ARGUMENT,
                    "SAN URI '" + sanUri + "' must be absolute, with a scheme, e.g. urn:hotaru:sae:NAME");
        }
    }

    private static void validateIds(List<String> kmeIds, List<String> saeIds) {
        List<String> all = Stream.concat(kmeIds.stream(), saeIds.stream()).collect(Collectors.toList());
        for (String id : all) {
            if (!ID.matcher(id).matches() || id.equals("ca") || id.equals("pkcs12")) {
                throw new KeyManagerException(
                        Code.INVALID_ARGUMENT,
                        "ID '" + id + "' must match " + ID.pattern() + " and not be 'ca' or 'pkcs12'");
            }
        }
        Set<String> distinct = new HashSet<>(all);
        if (distinct.size() != all.size()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "KME and SAE IDs must all differ: " + all);
        }
    }

    private static char[] newPassword() {
        SecureRandom random = new SecureRandom();
        char[] password = new char[24];
        for (int i = 0; i < password.length; i++) {
            password[i] = PASSWORD_ALPHABET[random.nextInt(PASSWORD_ALPHABET.length)];
        }
        return password;
    }
}
