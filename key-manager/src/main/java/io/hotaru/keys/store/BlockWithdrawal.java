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

    private BlockWithdrawal() {}

    static long lastStoredBlock(KeyTable table, String linkId) throws SQLException {
        PreparedStatement last = table.ps("SELECT max(block_id) FROM block WHERE link_id = ?");
        last.setString(1, linkId);
        try (ResultSet rs = last.executeQuery()) {
            long block = rs.next() ? rs.getLong(1) : -1;
            return rs.wasNull() ? -1 : block;
        }
    }

    static Result withdrawAfter(KeyTable table, String linkId, long blockId) throws SQLException {
        PreparedStatement blocks = table.ps("SELECT count(*) FROM block WHERE link_id = ? AND block_id > ?");
        blocks.setString(1, linkId);
        blocks.setLong(2, blockId);
        int count;
        try (ResultSet rs = blocks.executeQuery()) {
            count = rs.next() ? rs.getInt(1) : 0;
        }
        if (count == 0) {
            return new Result(0, 0, 0);
        }
        PreparedStatement units = table.ps("SELECT seq, state FROM stored_key WHERE link_id = ? AND block_id > ?");
        units.setString(1, linkId);
        units.setLong(2, blockId);
        List<Long> available = new ArrayList<>();
        int inUse = 0;
        try (ResultSet rs = units.executeQuery()) {
            while (rs.next()) {
                String state = rs.getString(2);
                if (state.equals("AVAILABLE")) {
                    available.add(rs.getLong(1));
                } else if (!state.equals("ERASED")) {
                    inUse++;
                }
            }
        }
        if (inUse > 0) {
            return new Result(count, 0, inUse);
        }
        for (long seq : available) {
            table.eraseUnit(seq);
        }
        PreparedStatement forget = table.ps("DELETE FROM block WHERE link_id = ? AND block_id > ?");
        forget.setString(1, linkId);
        forget.setLong(2, blockId);
        forget.executeUpdate();
        return new Result(count, available.size(), 0);
    }
}
