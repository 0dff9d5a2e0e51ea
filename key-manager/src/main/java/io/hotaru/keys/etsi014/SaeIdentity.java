package io.hotaru.keys.etsi014;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Where a KME reads the SAE ID in a verified client certificate: the subject's single CN (the
 * default), or the certificate's single URI subject alternative name that starts with {@code
 * uriPrefix}, the SAE ID being the rest of the URI. A certificate without exactly one such name
 * identifies nobody (401); the ID is never taken from the request.
 *
 * @param source the part of the certificate that names the SAE
 * @param uriPrefix for {@link Source#SAN_URI}: the prefix every SAE URI carries (may be empty, then
 *     the whole URI is the SAE ID); empty for {@link Source#COMMON_NAME}
 */
public record SaeIdentity(Source source, String uriPrefix) {
    /** URI SAN type in {@link X509Certificate#getSubjectAlternativeNames()} (RFC 5280 GeneralName). */
    private static final int URI_NAME = 6;

    public enum Source {
        COMMON_NAME,
        SAN_URI
    }

    /** The SAE ID is the subject CN. */
    public static final SaeIdentity COMMON_NAME = new SaeIdentity(Source.COMMON_NAME, "");

    public SaeIdentity {
        if (source == null || uriPrefix == null) {
            throw new KeyManagerException(Code.CONFIG, "SAE identity needs a source and a URI prefix (may be empty)");
        }
        if (source == Source.COMMON_NAME && !uriPrefix.isEmpty()) {
            throw new KeyManagerException(Code.CONFIG, "a URI prefix only applies to the SAN URI identity");
        }
    }

    /** The SAE ID is what follows {@code prefix} in the certificate's single URI SAN with that prefix. */
    public static SaeIdentity sanUri(String prefix) {
        return new SaeIdentity(Source.SAN_URI, prefix);
    }

    /**
     * Reads a configuration value: {@code cn}, {@code san-uri} (the whole URI), or {@code
     * san-uri:PREFIX}, for example {@code san-uri:urn:hotaru:sae:}.
     */
    public static SaeIdentity parse(String text) {
        if ("cn".equals(text)) {
            return COMMON_NAME;
        }
        if ("san-uri".equals(text)) {
            return sanUri("");
        }
        if (text != null && text.startsWith("san-uri:")) {
            return sanUri(text.substring("san-uri:".length()));
        }
        throw new KeyManagerException(
                Code.CONFIG, "SAE identity '" + text + "' is not one of cn, san-uri, san-uri:PREFIX");
    }

    /** The SAE the certificate names, if it names exactly one. */
    public Optional<String> saeId(X509Certificate certificate) {
        return source == Source.COMMON_NAME ? commonName(certificate) : uriName(certificate);
    }

    private Optional<String> uriName(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        List<String> matching = names.stream()
                .filter(n -> n.size() == 2 && Integer.valueOf(URI_NAME).equals(n.get(0)) && n.get(1) instanceof String)
                .map(n -> (String) n.get(1))
                .filter(uri -> uri.startsWith(uriPrefix) && uri.length() > uriPrefix.length())
                .toList();
        if (matching.size() != 1) {
            return Optional.empty();
        }
        String id = matching.get(0).substring(uriPrefix.length());
        return id.isBlank() ? Optional.empty() : Optional.of(id);
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

    @Override
    public String toString() {
        return source == Source.COMMON_NAME ? "cn" : "san-uri:" + uriPrefix;
    }
}
