package io.hotaru.keys.etsi014;

/** A master SAE (calls {@code enc_keys}) and a slave SAE (calls {@code dec_keys}). */
public record SaePair(String masterSae, String slaveSae) {
    public SaePair {
        if (masterSae == null || masterSae.isBlank() || slaveSae == null || slaveSae.isBlank()) {
            throw new IllegalArgumentException("SAE IDs must not be blank");
        }
    }
}
