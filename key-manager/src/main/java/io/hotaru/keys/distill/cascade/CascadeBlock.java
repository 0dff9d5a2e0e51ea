package io.hotaru.keys.distill.cascade;

/**
 * A block of one pass, in that pass's shuffled order: a top-level block or a half of one found
 * during binary search. Sub-blocks are kept, so a parity learnt once is reused when the cascade
 * effect re-opens the block.
 */
final class CascadeBlock {
    static final int UNKNOWN = -1;

    final int pass;
    final int start;
    final int end;
    final CascadeBlock parent;
    int correctParity = UNKNOWN;
    /** Asked of Alice in the request now in flight or being built. */
    boolean asked;

    private CascadeBlock left;
    private CascadeBlock right;

    CascadeBlock(int pass, int start, int end, CascadeBlock parent) {
        this.pass = pass;
        this.start = start;
        this.end = end;
        this.parent = parent;
    }

    int size() {
        return end - start;
    }

    CascadeBlock left() {
        if (left == null) {
            left = new CascadeBlock(pass, start, start + size() / 2, this);
        }
        return left;
    }

    CascadeBlock right() {
        if (right == null) {
            right = new CascadeBlock(pass, start + size() / 2, end, this);
        }
        return right;
    }

    /** Infers the correct parity from the parent's and the sibling's, if both are known. */
    boolean inferParity() {
        if (parent == null || parent.correctParity == UNKNOWN) {
            return false;
        }
        CascadeBlock sibling = parent.left == this ? parent.right : parent.left;
        if (sibling == null || sibling.correctParity == UNKNOWN) {
            return false;
        }
        correctParity = parent.correctParity ^ sibling.correctParity;
        return true;
    }
}
