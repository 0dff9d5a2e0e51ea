package io.hotaru.reliability.figures;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one history checker of the reliability campaigns: what each end of a key link handed out or
 * holds, key by key, and the three invariants every campaign must leave at zero.
 *
 * <ul>
 *   <li><b>lost</b>: a key seen at one end only, unless it is in doubt (an answer at the other end
 *       cut by the fault itself, which may or may not have been served);
 *   <li><b>duplicated</b>: a key seen twice at the same end (handed out twice, or held twice), or a
 *       unit the stores show both delivered and still available ({@link #deliveredAndAvailable});
 *   <li><b>disagreeing</b>: a key whose bytes differ between the ends.
 * </ul>
 *
 * <p>Key bytes are never kept: each observation is reduced to its SHA-256 at once, and the caller
 * zeroes its copy. An observation without bytes (a campaign that sees only key IDs) counts for
 * loss and duplication only. Thread-safe: SAE threads may observe side by side.
 */
public final class KeyHistory {
    /** The two ends of the link: the master KME's side and the slave's (or node A and node B). */
    public enum End {
        FIRST,
        SECOND
    }

    /** What the checker found. */
    public record Verdict(long checked, long lost, long duplicated, long disagreeing) {
        public boolean clean() {
            return lost == 0 && duplicated == 0 && disagreeing == 0;
        }
    }

    private static final byte[] NO_BYTES = new byte[0];

    private final Map<String, List<byte[]>> first = new LinkedHashMap<>();
    private final Map<String, List<byte[]>> second = new LinkedHashMap<>();
    private final Set<String> inDoubt = new HashSet<>();
    private final List<String> deliveredAndAvailable = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();

    /** A key seen at {@code end}; {@code material} may be null when the campaign sees only IDs. */
    public synchronized void observe(End end, Object keyId, byte[] material) {
        byte[] digest = material == null ? NO_BYTES : sha256(material);
        (end == End.FIRST ? first : second)
                .computeIfAbsent(keyId.toString(), k -> new ArrayList<>())
                .add(digest);
    }

    /** A key whose hand-out at one end was cut by the fault: served or not, nobody can tell. */
    public synchronized void inDoubt(Object keyId) {
        inDoubt.add(keyId.toString());
    }

    /** Whether {@code end} has seen the key (the reconciliation step asks for those it has not). */
    public synchronized boolean seen(End end, Object keyId) {
        return (end == End.FIRST ? first : second).containsKey(keyId.toString());
    }

    /** The keys seen at {@code end}, in the order first seen. */
    public synchronized List<String> keys(End end) {
        return List.copyOf((end == End.FIRST ? first : second).keySet());
    }

    /** A unit both delivered (at either store) and still available (at either): counted as duplicated. */
    public synchronized void deliveredAndAvailable(Object unit) {
        deliveredAndAvailable.add(unit.toString());
    }

    /** Checks the history so far. */
    public synchronized Verdict verdict() {
        findings.clear();
        deliveredAndAvailable.forEach(unit -> findings.add("unit " + unit + " delivered and still available"));
        long lost = 0;
        long duplicated = deliveredAndAvailable.size();
        long disagreeing = 0;
        Set<String> all = new HashSet<>(first.keySet());
        all.addAll(second.keySet());
        for (String key : all) {
            List<byte[]> atFirst = first.getOrDefault(key, List.of());
            List<byte[]> atSecond = second.getOrDefault(key, List.of());
            if ((atFirst.isEmpty() || atSecond.isEmpty()) && !inDoubt.contains(key)) {
                lost++;
                findings.add("key " + key + " seen only at the " + (atFirst.isEmpty() ? "second" : "first") + " end");
            }
            if (atFirst.size() > 1 || atSecond.size() > 1) {
                duplicated++;
                findings.add("key " + key + " seen " + atFirst.size() + " and " + atSecond.size() + " times");
            }
            if (disagrees(atFirst, atSecond)) {
                disagreeing++;
                findings.add("key " + key + " differs between the ends");
            }
        }
        return new Verdict(all.size(), lost, duplicated, disagreeing);
    }

    /** One line per violation found by the last {@link #verdict()}, for the diagnosis of a failure. */
    public synchronized List<String> findings() {
        return List.copyOf(findings);
    }

    /**
     * Checks the history and records {@code keys_checked}, {@code keys_lost}, {@code keys_duplicated}
     * and {@code keys_disagreeing} for {@code source}.
     */
    public Verdict record(String source) {
        Verdict verdict = verdict();
        ReliabilityFigures.record("keys_checked", source, verdict.checked());
        ReliabilityFigures.record("keys_lost", source, verdict.lost());
        ReliabilityFigures.record("keys_duplicated", source, verdict.duplicated());
        ReliabilityFigures.record("keys_disagreeing", source, verdict.disagreeing());
        return verdict;
    }

    private static boolean disagrees(List<byte[]> atFirst, List<byte[]> atSecond) {
        byte[] reference = null;
        for (List<byte[]> side : List.of(atFirst, atSecond)) {
            for (byte[] digest : side) {
                if (digest.length == 0) {
                    continue;
                }
                if (reference == null) {
                    reference = digest;
                } else if (!Arrays.equals(reference, digest)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] sha256(byte[] material) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(material);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
