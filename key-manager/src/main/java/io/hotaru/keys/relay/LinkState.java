package io.hotaru.keys.relay;

/**
 * One link as its end announces it: the neighbour, the key units available for relaying and
 * whether the link is up.
 */
public record LinkState(String peer, long availableUnits, boolean up) {}
