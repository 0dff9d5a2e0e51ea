package io.hotaru.keys.relay.codec;

import io.hotaru.keys.relay.LinkState;
import io.hotaru.keys.relay.RelayMessage;
import io.hotaru.keys.relay.RelayMessage.Abort;
import io.hotaru.keys.relay.RelayMessage.Announce;
import io.hotaru.keys.relay.RelayMessage.Forward;
import io.hotaru.keys.relay.RelayMessage.ForwardBatch;
import io.hotaru.keys.relay.RelayMessage.Lease;
import io.hotaru.keys.relay.RelayMessage.PoolEnd;
import io.hotaru.keys.relay.RelayMessage.Reply;
import io.hotaru.keys.relay.RelayMessage.ReplyBatch;
import io.hotaru.keys.relay.RelayStatus;
import io.hotaru.keys.relay.codec.RelayCodecException.Code;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * Binary form of {@link RelayMessage}s, big-endian, with hard limits checked before anything is
 * allocated:
 *
 * <pre>
 * frame   = version(1) = 2 ‖ type(1) ‖ callId(8) ‖ body
 * Forward = relayId(8) ‖ keyBlock(8) ‖ path ‖ hop(1) ‖ sizeBits(4) ‖ share(1) ‖ shares(1) ‖ units ‖ len(2) ‖ ciphertext
 * Abort   = relayId(8) ‖ keyBlock(8) ‖ path ‖ hop(1) ‖ units
 * Announce= node ‖ sequence(8) ‖ n(1) ‖ n × (node ‖ availableUnits(8) ‖ up(1))
 * Reply   = relayId(8) ‖ status(1)
 * ForwardBatch = n(1) ‖ n × Forward          (1 ≤ n ≤ 64, relay IDs distinct)
 * ReplyBatch   = n(1) ‖ n × Reply            (1 ≤ n ≤ 64, relay IDs distinct)
 * Lease   = leaseId(8) ‖ mode(1) ‖ [authEnd(8) if mode = 2] ‖ n(2) ‖ n × UUID(16)
 *           (mode 0 pads, 1 burn-only, 2 authentication refill; 1 ≤ n ≤ 256, distinct)
 * PoolEnd = end(8)                           (end ≥ 0)
 * path    = n(1) ‖ n × node          node = len(1) ‖ ASCII [A-Za-z0-9._:-]{1,64}
 * units   = n(1) ‖ n × UUID(16)
 * </pre>
 *
 * A forward's ciphertext is exactly sizeBits/8 bytes and its units exactly ⌈sizeBits/256⌉; a key
 * block is not negative. A batch
 * is bounded by {@link #MAX_BATCH} and by the frame limit: a sender fills it up to {@link
 * #fitsInBatch}.
 */
public final class RelayCodec {
    public static final int VERSION = 2;
    /** Largest frame produced or accepted. */
    public static final int MAX_FRAME_BYTES = 8192;
    /** Most nodes on a path, source and destination included. */
    public static final int MAX_PATH_NODES = 16;
    /** Longest node ID. */
    public static final int MAX_NODE_ID_BYTES = 64;
    /** Most pad units in one hop: keys of up to 32 × 256 = 8192 bits. */
    public static final int MAX_UNITS = 32;
    /** Most shares of a multi-path relay. */
    public static final int MAX_SHARES = 8;
    /** Most links in one announcement. */
    public static final int MAX_LINKS = 32;
    /** Most pad units in one lease: 4 KiB of IDs. */
    public static final int MAX_LEASE_UNITS = 256;
    /** Most forwards (or replies) in one batch frame. */
    public static final int MAX_BATCH = 64;
    /** Bytes of a forward batch frame before its first forward: version, type, call ID, count. */
    private static final int BATCH_HEADER_BYTES = 11;

    private static final int FORWARD = 1;
    private static final int ABORT = 2;
    private static final int ANNOUNCE = 3;
    private static final int REPLY = 4;
    private static final int FORWARD_BATCH = 5;
    private static final int REPLY_BATCH = 6;
    private static final int LEASE = 7;
    private static final int POOL_END = 8;
    private static final RelayStatus[] STATUSES = RelayStatus.values();

    private RelayCodec() {}

    /** Whether {@code id} is a valid node ID (what the codec can carry). */
    public static boolean isNodeId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_NODE_ID_BYTES) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!isIdChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdChar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == ':'
                || c == '-';
    }

    public static byte[] encode(RelayMessage message) {
        Out out = new Out();
        out.u8(VERSION);
        if (message instanceof Forward f) {
            out.u8(FORWARD);
            out.u64(f.callId());
            out.forward(f);
        } else if (message instanceof ForwardBatch b) {
            out.u8(FORWARD_BATCH);
            out.u64(b.callId());
            checkBatch(b.forwards(), Forward::relayId);
            out.u8(b.forwards().size());
            b.forwards().forEach(out::forward);
        } else if (message instanceof ReplyBatch b) {
            out.u8(REPLY_BATCH);
            out.u64(b.callId());
            checkBatch(b.replies(), Reply::relayId);
            out.u8(b.replies().size());
            for (Reply r : b.replies()) {
                out.u64(r.relayId());
                out.u8(r.status().ordinal());
            }
        } else if (message instanceof Abort a) {
            out.u8(ABORT);
            out.u64(a.callId());
            out.u64(a.relayId());
            checkKeyBlock(a.keyBlock());
            out.u64(a.keyBlock());
            checkPath(a.path(), a.hop());
            checkUnits(a.padUnits().size());
            out.path(a.path());
            out.u8(a.hop());
            out.units(a.padUnits());
        } else if (message instanceof Lease l) {
            out.u8(LEASE);
            out.u64(l.callId());
            out.u64(l.leaseId());
            out.u8(l.auth() ? 2 : l.burnOnly() ? 1 : 0);
            if (l.auth()) {
                out.u64(l.authEnd());
            }
            checkLease(l.units());
            out.u16(l.units().size());
            l.units().forEach(out::uuid);
        } else if (message instanceof PoolEnd p) {
            if (p.end() < 0) {
                throw new RelayCodecException(Code.OUT_OF_RANGE, "pool end " + p.end());
            }
            out.u8(POOL_END);
            out.u64(p.callId());
            out.u64(p.end());
        } else if (message instanceof Announce a) {
            out.u8(ANNOUNCE);
            out.u64(a.callId());
            out.node(a.origin());
            out.u64(a.sequence());
            if (a.links().size() > MAX_LINKS) {
                throw new RelayCodecException(
                        Code.TOO_LARGE, "announcement of " + a.links().size() + " links");
            }
            out.u8(a.links().size());
            for (LinkState l : a.links()) {
                if (l.availableUnits() < 0) {
                    throw new RelayCodecException(Code.OUT_OF_RANGE, "negative available units");
                }
                out.node(l.peer());
                out.u64(l.availableUnits());
                out.u8(l.up() ? 1 : 0);
            }
        } else {
            Reply r = (Reply) message;
            out.u8(REPLY);
            out.u64(r.callId());
            out.u64(r.relayId());
            out.u8(r.status().ordinal());
        }
        if (out.size() > MAX_FRAME_BYTES) {
            throw new RelayCodecException(Code.TOO_LARGE, "frame of " + out.size() + " bytes");
        }
        return out.toByteArray();
    }

    /** Decodes one frame; throws only {@link RelayCodecException}, for any input. */
    public static RelayMessage decode(byte[] frame) {
        if (frame.length > MAX_FRAME_BYTES) {
            throw new RelayCodecException(Code.TOO_LARGE, "frame of " + frame.length + " bytes");
        }
        In in = new In(frame);
        int version = in.u8();
        if (version != VERSION) {
            throw new RelayCodecException(Code.UNSUPPORTED_VERSION, "version " + version);
        }
        int type = in.u8();
        long callId = in.u64();
        RelayMessage message = switch (type) {
            case FORWARD -> in.forward(callId);
            case FORWARD_BATCH -> {
                int n = in.batchSize();
                List<Forward> forwards = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    forwards.add(in.forward(callId));
                }
                checkBatch(forwards, Forward::relayId);
                yield new ForwardBatch(callId, forwards);
            }
            case REPLY_BATCH -> {
                int n = in.batchSize();
                List<Reply> replies = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    replies.add(new Reply(callId, in.u64(), in.status()));
                }
                checkBatch(replies, Reply::relayId);
                yield new ReplyBatch(callId, replies);
            }
            case ABORT -> {
                long relayId = in.u64();
                long keyBlock = checkKeyBlock(in.u64());
                List<String> path = in.path();
                int hop = in.u8();
                checkPath(path, hop);
                yield new Abort(callId, relayId, keyBlock, path, hop, in.units());
            }
            case ANNOUNCE -> {
                String origin = in.node();
                long sequence = in.u64();
                int n = in.u8();
                if (n > MAX_LINKS) {
                    throw new RelayCodecException(Code.TOO_LARGE, "announcement of " + n + " links");
                }
                List<LinkState> links = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String peer = in.node();
                    long available = in.u64();
                    int up = in.u8();
                    if (available < 0 || up > 1) {
                        throw new RelayCodecException(Code.OUT_OF_RANGE, "link entry");
                    }
                    links.add(new LinkState(peer, available, up == 1));
                }
                yield new Announce(callId, origin, sequence, links);
            }
            case REPLY -> new Reply(callId, in.u64(), in.status());
            case POOL_END -> {
                long end = in.u64();
                if (end < 0) {
                    throw new RelayCodecException(Code.OUT_OF_RANGE, "pool end " + end);
                }
                yield new PoolEnd(callId, end);
            }
            case LEASE -> {
                long leaseId = in.u64();
                int mode = in.u8();
                if (mode > 2) {
                    throw new RelayCodecException(Code.OUT_OF_RANGE, "lease mode " + mode);
                }
                long authEnd = -1;
                if (mode == 2) {
                    in.need(8);
                    authEnd = in.u64();
                    if (authEnd < 0) {
                        throw new RelayCodecException(Code.OUT_OF_RANGE, "authentication pool end " + authEnd);
                    }
                }
                int n = in.u16();
                if (n < 1 || n > MAX_LEASE_UNITS) {
                    throw new RelayCodecException(Code.TOO_LARGE, "lease of " + n + " units");
                }
                in.need(16 * n);
                List<UUID> units = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    units.add(new UUID(in.u64(), in.u64()));
                }
                checkLease(units);
                yield new Lease(callId, leaseId, units, mode == 1, authEnd);
            }
            default -> throw new RelayCodecException(Code.UNKNOWN_TYPE, "type " + type);
        };
        if (in.remaining() != 0) {
            throw new RelayCodecException(Code.TRAILING_BYTES, in.remaining() + " bytes");
        }
        return message;
    }

    /**
     * Whether a forward batch of {@code count} forwards taking {@code bytes} (the sum of their
     * {@link #forwardBytes}) still fits one frame with one more forward of {@code nextBytes}.
     */
    public static boolean fitsInBatch(int count, int bytes, int nextBytes) {
        return count < MAX_BATCH && BATCH_HEADER_BYTES + bytes + nextBytes <= MAX_FRAME_BYTES;
    }

    /** Bytes {@code f} takes inside a forward batch (its fields after the call ID). */
    public static int forwardBytes(Forward f) {
        int path = 1;
        for (String node : f.path()) {
            path += 1 + node.length();
        }
        return 8 + 8 + path + 1 + 4 + 1 + 1 + 1 + 16 * f.padUnits().size() + 2 + f.ciphertext().length;
    }

    private static long checkKeyBlock(long keyBlock) {
        if (keyBlock < 0) {
            throw new RelayCodecException(Code.OUT_OF_RANGE, "key block " + keyBlock);
        }
        return keyBlock;
    }

    private static void checkLease(List<UUID> units) {
        if (units.isEmpty() || units.size() > MAX_LEASE_UNITS) {
            throw new RelayCodecException(Code.TOO_LARGE, "lease of " + units.size() + " units");
        }
        if (new java.util.HashSet<>(units).size() != units.size()) {
            throw new RelayCodecException(Code.OUT_OF_RANGE, "a unit named twice in a lease");
        }
    }

    private static <T> void checkBatch(List<T> items, ToLongFunction<T> relayId) {
        int n = items.size();
        if (n < 1 || n > MAX_BATCH) {
            throw new RelayCodecException(n < 1 ? Code.OUT_OF_RANGE : Code.TOO_LARGE, "batch of " + n);
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = relayId.applyAsLong(items.get(i));
        }
        Arrays.sort(ids);
        for (int i = 1; i < n; i++) {
            if (ids[i] == ids[i - 1]) {
                throw new RelayCodecException(Code.OUT_OF_RANGE, "a relay repeats in a batch");
            }
        }
    }

    /** Whether two elements of the list are equal (lists of at most a few hundred: no set built). */
    private static boolean repeats(List<?> list) {
        for (int i = 1; i < list.size(); i++) {
            Object x = list.get(i);
            for (int j = 0; j < i; j++) {
                if (x.equals(list.get(j))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void checkPath(List<String> path, int hop) {
        if (path.size() < 2 || path.size() > MAX_PATH_NODES) {
            throw new RelayCodecException(Code.OUT_OF_RANGE, "path of " + path.size() + " nodes");
        }
        if (hop < 1 || hop >= path.size()) {
            throw new RelayCodecException(Code.OUT_OF_RANGE, "hop " + hop + " of a path of " + path.size());
        }
        if (repeats(path)) {
            throw new RelayCodecException(Code.OUT_OF_RANGE, "path visits a node twice");
        }
        path.forEach(RelayCodec::checkNode);
    }

    private static void checkForward(
            List<String> path, int hop, int sizeBits, int share, int shares, List<UUID> units, int ciphertextBytes) {
        checkPath(path, hop);
        checkUnits(units.size());
        if (sizeBits < 8 || sizeBits % 8 != 0 || sizeBits > MAX_UNITS * 256) {
            throw new RelayCodecException(Code.OUT_OF_RANGE, "key size " + sizeBits);
        }
        if (units.size() != (sizeBits + 255) / 256 || ciphertextBytes != sizeBits / 8) {
            throw new RelayCodecException(Code.OUT_OF_RANGE, "units or ciphertext do not fit the key size");
        }
        if (shares < 1 || shares > MAX_SHARES || share >= shares) {
            throw new RelayCodecException(Code.OUT_OF_RANGE, "share " + share + " of " + shares);
        }
        if (repeats(units)) {
            throw new RelayCodecException(Code.OUT_OF_RANGE, "a pad unit repeats");
        }
    }

    private static void checkUnits(int n) {
        if (n > MAX_UNITS) {
            throw new RelayCodecException(Code.TOO_LARGE, n + " pad units");
        }
    }

    private static void checkNode(String id) {
        if (!isNodeId(id)) {
            throw new RelayCodecException(Code.OUT_OF_RANGE, "node ID");
        }
    }

    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(128);
        }

        void u8(int v) {
            write(v);
        }

        void u16(int v) {
            write(v >>> 8);
            write(v);
        }

        void u32(int v) {
            u16(v >>> 16);
            u16(v & 0xFFFF);
        }

        void u64(long v) {
            u32((int) (v >>> 32));
            u32((int) v);
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void node(String id) {
            checkNode(id);
            u8(id.length());
            bytes(id.getBytes(StandardCharsets.US_ASCII));
        }

        void path(List<String> path) {
            u8(path.size());
            path.forEach(this::node);
        }

        void forward(Forward f) {
            u64(f.relayId());
            checkKeyBlock(f.keyBlock());
            u64(f.keyBlock());
            checkForward(f.path(), f.hop(), f.sizeBits(), f.share(), f.shares(), f.padUnits(), f.ciphertext().length);
            path(f.path());
            u8(f.hop());
            u32(f.sizeBits());
            u8(f.share());
            u8(f.shares());
            units(f.padUnits());
            u16(f.ciphertext().length);
            bytes(f.ciphertext());
        }

        void units(List<UUID> units) {
            u8(units.size());
            units.forEach(this::uuid);
        }

        void uuid(UUID u) {
            u64(u.getMostSignificantBits());
            u64(u.getLeastSignificantBits());
        }
    }

    private static final class In {
        private final byte[] b;
        private int at;

        In(byte[] b) {
            this.b = b;
        }

        int remaining() {
            return b.length - at;
        }

        void need(int n) {
            if (remaining() < n) {
                throw new RelayCodecException(Code.TRUNCATED, "need " + n + " bytes at " + at);
            }
        }

        int u8() {
            need(1);
            return b[at++] & 0xFF;
        }

        int u16() {
            need(2);
            int v = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
            at += 2;
            return v;
        }

        int u32() {
            need(4);
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (b[at++] & 0xFF);
            }
            return v;
        }

        long u64() {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (b[at++] & 0xFF);
            }
            return v;
        }

        byte[] bytes(int n) {
            need(n);
            byte[] out = new byte[n];
            System.arraycopy(b, at, out, 0, n);
            at += n;
            return out;
        }

        String node() {
            int n = u8();
            if (n < 1 || n > MAX_NODE_ID_BYTES) {
                throw new RelayCodecException(Code.OUT_OF_RANGE, "node ID of " + n + " bytes");
            }
            need(n);
            for (int i = 0; i < n; i++) {
                if (!isIdChar(b[at + i])) {
                    throw new RelayCodecException(Code.OUT_OF_RANGE, "node ID character");
                }
            }
            String id = new String(b, at, n, StandardCharsets.US_ASCII);
            at += n;
            return id;
        }

        List<String> path() {
            int n = u8();
            if (n > MAX_PATH_NODES) {
                throw new RelayCodecException(Code.TOO_LARGE, "path of " + n + " nodes");
            }
            List<String> path = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                path.add(node());
            }
            return path;
        }

        Forward forward(long callId) {
            long relayId = u64();
            long keyBlock = checkKeyBlock(u64());
            List<String> path = path();
            int hop = u8();
            int sizeBits = u32();
            int share = u8();
            int shares = u8();
            List<UUID> units = units();
            int len = u16();
            checkForward(path, hop, sizeBits, share, shares, units, len);
            return new Forward(callId, relayId, keyBlock, path, hop, sizeBits, share, shares, units, bytes(len));
        }

        /** A batch's count, checked before anything of the batch is allocated. */
        int batchSize() {
            int n = u8();
            if (n < 1 || n > MAX_BATCH) {
                throw new RelayCodecException(n < 1 ? Code.OUT_OF_RANGE : Code.TOO_LARGE, "batch of " + n);
            }
            return n;
        }

        RelayStatus status() {
            int status = u8();
            if (status >= STATUSES.length) {
                throw new RelayCodecException(Code.OUT_OF_RANGE, "status " + status);
            }
            return STATUSES[status];
        }

        List<UUID> units() {
            int n = u8();
            if (n > MAX_UNITS) {
                throw new RelayCodecException(Code.TOO_LARGE, n + " pad units");
            }
            need(16 * n);
            List<UUID> units = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                units.add(new UUID(u64(), u64()));
            }
            return units;
        }
    }
}
