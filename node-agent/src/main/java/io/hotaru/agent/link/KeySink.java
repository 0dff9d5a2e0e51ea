package io.hotaru.agent.link;

/** Where a link end puts the keys it distils: the node's key store. */
@FunctionalInterface
public interface KeySink {

    /**
     * Stores the final key of one block. The caller zeroes {@code key} afterwards.
     *
     * @return the number of keys stored
     */
    int accept(String linkId, long blockId, byte[] key);
}
