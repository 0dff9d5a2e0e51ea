package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statements an ETSI 014 pair runs at both KMEs (reserve, record the reservation, confirm,
 * deliver) keep their parameters out of the planner's sight, so that SQLite prepares each once (see
 * {@link KeyTable}), and still search their indexes instead of scanning the key table.
 */
class KeyTableStatementsTest {
    private static final String LINK = "link-ab";
    /** A parameter the planner may look at: a bare ? compared with something, or a bare LIMIT ?. */
    static final Pattern VISIBLE_PARAMETER = Pattern.compile("(=|<|>|<=|>=|IN \\() ?\\?|LIMIT \\?(?! \\+)");
    /** A plan step that reads a whole table (a scan of an index is bounded by the index's condition). */
    private static final Pattern FULL_SCAN = Pattern.compile("^SCAN \\w+$");

    @TempDir
    Path dir;

    @Test
    void thePairsStatementsArePreparedOnceAndSearchTheirIndexes() throws Exception {
        Path fileA = dir.resolve("kme-a.db");
        Path fileB = dir.resolve("kme-b.db");
        List<String> sqlA;
        List<String> sqlB;
        try (KeyStore a = KeyStore.open(fileA, MasterKey.of(MasterKeyTest.filled((byte) 1)));
                KeyStore b = KeyStore.open(fileB, MasterKey.of(MasterKeyTest.filled((byte) 2)))) {
            byte[] block = KeyStoreTest.block(7, 8);
            a.ingest(LINK, 1, block);
            b.ingest(LINK, 1, block);
            try (Reservation r = a.reserve(LINK, 1, 512, "sae-a", List.of(), List.of("sae-b"))) {
                b.markReservedByPeer(r.announcement());
                a.confirmMasterDelivery(r);
                try (KeyBatch keys = b.deliver(r.keyIds(), "sae-b", "sae-a")) {
                    assertThat(keys.keys()).hasSize(1);
                }
            }
            assertThat(a.eraseExpired()).isZero();
            assertThat(b.counts(LINK)).isEqualTo(new KeyCounts(6, 0, 2, 0));
            sqlA = a.runOnWriter(() -> a.table().preparedSql());
            sqlB = b.runOnWriter(() -> b.table().preparedSql());
        }
        List<String> all = new ArrayList<>(sqlA);
        all.addAll(sqlB);
        assertThat(all)
                .anyMatch(sql -> sql.contains("JOIN pickup")) // openKeyFor ran
                .anyMatch(sql -> sql.contains("ORDER BY seq LIMIT")); // oldestAvailable ran
        for (String sql : all) {
            int where = sql.indexOf(" WHERE ");
            String conditions = where < 0 ? "" : sql.substring(where);
            assertThat(VISIBLE_PARAMETER.matcher(conditions).find())
                    .as("a bare parameter the planner may look at in: %s", sql)
                    .isFalse();
        }
        // counts() reads every row by design (tests and diagnostics: no index holds a link's history)
        Predicate<String> notCounts = sql -> !sql.endsWith("WHERE link_id = +? GROUP BY state");
        assertThat(sqlB).anyMatch(notCounts.negate());
        for (String sql : sqlA.stream().filter(notCounts).toList()) {
            assertThat(plan(fileA, sql))
                    .as("plan of %s", sql)
                    .noneMatch(step -> FULL_SCAN.matcher(step).matches());
        }
        for (String sql : sqlB.stream().filter(notCounts).toList()) {
            assertThat(plan(fileB, sql))
                    .as("plan of %s", sql)
                    .noneMatch(step -> FULL_SCAN.matcher(step).matches());
        }
    }

    @Test
    void thePoolIsCountedFromTheUnitsHeldNotTheLinksHistory() throws Exception {
        Path file = dir.resolve("kme.db");
        List<String> sql;
        try (KeyStore store = KeyStore.open(file, MasterKey.of(MasterKeyTest.filled((byte) 1)))) {
            store.ingest(LINK, 1, KeyStoreTest.block(7, 8));
            try (Reservation r = store.reserve(LINK, 2, 256, "sae-a", List.of(), List.of("sae-b"))) {
                store.confirmMasterDelivery(r);
            }
            try (Reservation r = store.reserve(LINK, 1, 256, "sae-a", List.of("sae-c"), List.of())) {
                assertThat(store.counts(LINK)).isEqualTo(new KeyCounts(5, 1, 2, 0));
                LinkStatus status = store.linkStatus(LINK);
                assertThat(new long[] {status.available(), status.reserved()}).containsExactly(5, 1);
                assertThat(store.availableCount(LINK)).isEqualTo(5);
            }
            sql = store.runOnWriter(() -> store.table().preparedSql());
        }
        String held = sql.stream()
                .filter(q -> q.contains("GROUP BY state") && q.contains(StoreSchema.HELD))
                .findFirst()
                .orElseThrow();
        String oldest = sql.stream()
                .filter(q -> q.contains("ORDER BY seq LIMIT") && q.contains(StoreSchema.PARITY_ODD))
                .findFirst()
                .orElseThrow();
        for (String q : List.of(held, oldest)) {
            assertThat(plan(file, q))
                    .as("plan of %s", q)
                    .anyMatch(step -> step.startsWith("SEARCH stored_key")
                            && step.contains(StoreSchema.HELD_INDEX)
                            && step.contains("state=?"))
                    .noneMatch(step -> step.contains("TEMP B-TREE"));
        }
    }

    static List<String> plan(Path file, String sql) throws SQLException {
        List<String> steps = new ArrayList<>();
        if (!sql.startsWith("SELECT") && !sql.startsWith("UPDATE") && !sql.startsWith("DELETE")) {
            return steps;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (rs.next()) {
                steps.add(rs.getString(4));
            }
        }
        return steps;
    }
}
