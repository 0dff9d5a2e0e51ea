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

    /**
     * Stands for a unit of a block that the store has no row of, where a purge ({@link SpentPurge})
     * deleted the row of a delivered unit of that block or none at all (the row went some other way):
     * counted as in use, the store fails closed. Where it deleted only erased units' rows, the unit
     * was one of them: {@link #GONE}, counted as erased.
     */
    private static final long[] MISSING = {-1, -1};

    /** Stands for a unit without a row of a block of which a purge deleted erased units' rows only; see {@link #MISSING}. */
    private static final long[] GONE = {-2, -2};

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
            if (unit == MISSING) { // it may have been delivered, or the row went unexplained: withdraw nothing
                inUse++;
                continue;
            }
            if (unit == GONE) {
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
     * blocks withdrawn; {@link #MISSING} or {@link #GONE} for a unit the store has no row of. Only distilled blocks
     * have rows in {@code block}; a relayed key has none (store schema 8), so an end-to-end link has
     * no blocks to withdraw.
     */
    private static List<long[]> unitsAfter(KeyTable table, String linkId, long blockId) throws SQLException {
        PreparedStatement blocks = table.ps(
                "SELECT block_id, key_count, forgotten_units FROM block WHERE link_id = +? AND block_id > ? + 0");
        blocks.setString(1, linkId);
        blocks.setLong(2, blockId);
        List<long[]> after = new ArrayList<>();
        try (ResultSet rs = blocks.executeQuery()) {
            while (rs.next()) {
                after.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
            }
        }
        List<long[]> units = new ArrayList<>();
        for (long[] block : after) {
            long[] noRow = block[2] == StoreSchema.FORGOTTEN_ERASED ? GONE : MISSING;
            for (int i = 0; i < block[1]; i++) {
                units.add(table.unitOfBlock(KeyIds.derive(linkId, block[0], i), linkId, block[0])
                        .orElse(noRow));
            }
        }
        return units;
    }
}
