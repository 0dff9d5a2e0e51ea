package io.hotaru.agent.node;

import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.AuthenticatedTransport;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.LinkResume;
import io.hotaru.keys.store.BlockWithdrawal;

/**
 * Brings both ends of a link back to the same keys and the same authentication pool on every new
 * connection, before any block. A block in flight when the channel failed or a node died may have
 * ended distilled at one end only: Bob stores his key and tops up his pool after sending {@code
 * Confirm}, and Alice does so only once she has read it. The ends exchange, authenticated, the last
 * block each stored and the words each pool has been given ({@link LinkResume}); the end that is
 * ahead withdraws what the other never got: the blocks' units from its store and the deposits from
 * its pool. Key units of such a block can never have been handed out, since a key is released
 * only when the peer KME holds it too; if one has been anyway, the link fails closed.
 *
 * <p>Without this, one lost {@code Confirm} left a key at one end only, and the two pools, topped up
 * by different amounts, split the next blocks' keys at different points: keys with the same id and
 * different bytes (found by {@code LinkFaultCampaignIT}).
 */
final class LinkResumption {

    /** What the node's key store offers for it. */
    interface StoredBlocks {
        long lastStoredBlock(String linkId);

        BlockWithdrawal.Result withdrawBlocksAfter(String linkId, long blockId);
    }

    /** The two ends' positions and what this end withdrew. */
    record Outcome(
            long lastStoredBlock,
            long peerLastStoredBlock,
            long depositedWords,
            long peerDepositedWords,
            int blocksWithdrawn,
            int unitsErased,
            int depositsWithdrawn) {

        /** The fields of the {@code link.resumed} audit record. */
        java.util.Map<String, Object> auditDetail() {
            java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
            detail.put("last_stored_block", lastStoredBlock);
            detail.put("peer_last_stored_block", peerLastStoredBlock);
            detail.put("deposited_words", depositedWords);
            detail.put("peer_deposited_words", peerDepositedWords);
            detail.put("blocks_withdrawn", blocksWithdrawn);
            detail.put("units_erased", unitsErased);
            detail.put("deposits_withdrawn", depositsWithdrawn);
            return detail;
        }
    }

    /** The ends cannot be brought to the same keys: the link must stop (fail closed). */
    static final class ResumeRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ResumeRefused(String message) {
            super(message, null, false, false);
        }
    }

    /** Times a withdrawal is tried again, 100 ms apart, while a unit of the blocks is in use. */
    static final int IN_USE_RETRIES = 20;

    private LinkResumption() {}

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResumeRefused("interrupted while waiting for a reservation to be released");
        }
    }

    /**
     * Runs the exchange over {@code auth} (both ends call it at the same point of the connection).
     *
     * @throws ResumeRefused if the peer answers with anything else, or this end cannot withdraw
     *     what the peer lacks (a unit already in use, deposit words that may have been used)
     */
    static Outcome resume(String linkId, AuthenticatedTransport auth, AuthKeyPool pool, StoredBlocks store) {
        long last = store.lastStoredBlock(linkId);
        long deposited = pool.depositedWords();
        auth.send(new LinkResume(0, last, deposited));
        DistillMessage reply = auth.receive();
        if (!(reply instanceof LinkResume peer)) {
            throw new ResumeRefused("the peer sent " + reply.getClass().getSimpleName()
                    + " where its resume point (LinkResume) was due: both ends must run the same version");
        }
        int blocks = 0;
        int erased = 0;
        if (peer.lastStoredBlock() < last) {
            BlockWithdrawal.Result r = store.withdrawBlocksAfter(linkId, peer.lastStoredBlock());
            for (int attempt = 0; r.unitsInUse() > 0 && attempt < IN_USE_RETRIES; attempt++) {
                // a master's reservation of such a unit is refused by the peer KME, which lacks it,
                // and released: give it that moment before calling the ends diverged
                sleep();
                r = store.withdrawBlocksAfter(linkId, peer.lastStoredBlock());
            }
            if (r.unitsInUse() > 0) {
                throw new ResumeRefused(r.unitsInUse() + " key unit(s) of blocks after " + peer.lastStoredBlock()
                        + ", which the peer never stored, are already reserved or delivered here");
            }
            blocks = r.blocks();
            erased = r.unitsErased();
        }
        int deposits = 0;
        if (peer.depositedWords() < deposited) {
            try {
                deposits = pool.withdrawTo(peer.depositedWords());
            } catch (IllegalStateException e) {
                throw new ResumeRefused("the authentication pools of the two ends differ: " + e.getMessage());
            }
        }
        return new Outcome(last, peer.lastStoredBlock(), deposited, peer.depositedWords(), blocks, erased, deposits);
    }
}
