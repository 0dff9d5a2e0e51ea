package io.hotaru.keys.pki;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which SAE is attached to which KME, kept in {@code network.properties} of a PKI directory so that
 * {@code pki issue-sae} can extend it and the README can name each SAE's own KME.
 */
record PkiNetwork(List<String> kmeIds, Map<String, String> kmeOfSae) {
    static final String FILE = "network.properties";

    PkiNetwork {
        kmeIds = List.copyOf(kmeIds);
        kmeOfSae = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kmeOfSae));
        for (Map.Entry<String, String> e : kmeOfSae.entrySet()) {
            if (!kmeIds.contains(e.getValue())) {
                throw new KeyManagerException(
                        Code.INVALID_ARGUMENT,
                        "SAE '" + e.getKey() + "' names unknown KME '" + e.getValue() + "'; the KMEs are " + kmeIds);
            }
        }
    }

    PkiNetwork with(String saeId, String kmeId) {
        Map<String, String> grown = new LinkedHashMap<>(kmeOfSae);
        grown.put(saeId, kmeId);
        return new PkiNetwork(kmeIds, grown);
    }

    void write(Path dir) {
        StringBuilder text = new StringBuilder("# Written by Hotaru pki init / issue-sae: SAE = its KME\n");
        text.append("kmes=").append(String.join(",", kmeIds)).append('\n');
        kmeOfSae.forEach((sae, kme) ->
                text.append("sae.").append(sae).append('=').append(kme).append('\n'));
        PemFiles.replaceText(dir.resolve(FILE), text.toString(), PemFiles.PUBLIC);
    }

    static PkiNetwork read(Path dir) {
        Path file = dir.resolve(FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeyManagerException(
                    Code.INVALID_ARGUMENT, "cannot read " + file + " (was the directory made by 'pki init'?): " + e);
        }
        List<String> kmes = new ArrayList<>();
        Map<String, String> saes = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new KeyManagerException(Code.INVALID_ARGUMENT, file + ": malformed line '" + line + "'");
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (key.equals("kmes")) {
                kmes.addAll(List.of(value.split(",")));
            } else if (key.startsWith("sae.")) {
                saes.put(key.substring(4), value);
            }
        }
        return new PkiNetwork(kmes, saes);
    }
}
