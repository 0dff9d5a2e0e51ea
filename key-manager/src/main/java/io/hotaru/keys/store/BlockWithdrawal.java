package io.hotaru.keys.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of {@link KeyStore#lastStoredBlock} and {@link KeyStore#withdrawBlocksAfter}: which block a
 * link stored last, and taking back the blocks after a given one when the peer never stored them.
 * Runs on the store's writer thread, inside its transaction.
 */
public final class BlockWithdrawal {

    /**
     * What a withdrawal did.
     *
     * @param blocks the blocks after the given one that the store held
     * @param unitsErased their units erased by this call
     * @param unitsInUse their units already reserved or delivered: if any, nothing was erased
     */
    public record Result(int blocks, int unitsErased, int unitsInUse) {}

    /** Stands for a unit of a block that the store does not hold; counted as in use. */
    private static final long[] MISSING = {-1, -1};

    private BlockWithdrawal() {}

    static long lastStoredBlock(KeyTable table, String linkId) throws SQLException {
        PreparedStatement last = table.ps("SELECT max(block_id) FROM block WHERE link_id = +?");
        last.setString(1, linkId);
        try (ResultSet rs = last.executeQuery()) {
            long block = rs.next() ? rs.getLong(1) : -1;
            return rs.wasNull() ? -1 : block;
        }
    }

    static Result withdrawAfter(KeyTable table, String linkId, long blockId) throws SQLException {
        PreparedStatement blocks = table.ps("SELECT count(*) FROM block WHERE link_id = +? AND block_id > ? + 0");
        blocks.setString(1, linkId);
        blocks.setLong(2, blockId);
        int count;
        try (ResultSet rs = blocks.executeQuery()) {
            count = rs.next() ? rs.getInt(1) : 0;
        }
        if (count == 0) {
            return new Result(0, 0, 0);
        }
        List<Long> available = new ArrayList<>();
        int inUse = 0;
        for (long[] unit : unitsAfter(table, linkId, blockId)) {
            if (unit == MISSING) { // a unit its block names is not in the store: withdraw nothing
                inUse++;
                continue;
            }
            KeyState state = KeyState.values()[(int) unit[1]];
            if (state == KeyState.AVAILABLE) {
                available.add(unit[0]);
            } else if (state != KeyState.ERASED) {
                inUse++;
            }
        }
        if (inUse > 0) {
            return new Result(count, 0, inUse);
        }
        for (long seq : available) {
            table.eraseUnit(seq);
        }
        PreparedStatement forget = table.ps("DELETE FROM block WHERE link_id = +? AND block_id > ? + 0");
        forget.setString(1, linkId);
        forget.setLong(2, blockId);
        forget.executeUpdate();
        return new Result(count, available.size(), 0);
    }

    /**
     * The units ({@code {seq, state ordinal}}) of the link's blocks after {@code blockId}: the units
     * {@link KeyIds#derive} names, each found through the key ID's index, so the cost follows the
     * blocks withdrawn; {@link #MISSING} for a unit the store does not have. Only distilled blocks
     * have rows in {@code block}; a relayed key has none (store schema 8), so an end-to-end link has
     * no blocks to withdraw.
     */
    private static List<long[]> unitsAfter(KeyTable table, String linkId, long blockId) throws SQLException {
        PreparedStatement blocks =
                table.ps("SELECT block_id, key_count FROM block WHERE link_id = +? AND block_id > ? + 0");
        blocks.setString(1, linkId);
        blocks.setLong(2, blockId);
        List<long[]> after = new ArrayList<>();
        try (ResultSet rs = blocks.executeQuery()) {
            while (rs.next()) {
                after.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        List<long[]> units = new ArrayList<>();
        for (long[] block : after) {
            for (int i = 0; i < block[1]; i++) {
                units.add(table.unitOfBlock(KeyIds.derive(linkId, block[0], i), linkId, block[0])
                        .orElse(MISSING));
            }
        }
        return units;
    }
}
