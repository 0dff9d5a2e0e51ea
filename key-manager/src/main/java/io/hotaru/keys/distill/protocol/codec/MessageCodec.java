package io.hotaru.keys.distill.protocol.codec;

import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.Abort;
import io.hotaru.keys.distill.protocol.DistillMessage.AmplificationSeed;
import io.hotaru.keys.distill.protocol.DistillMessage.AuthSync;
import io.hotaru.keys.distill.protocol.DistillMessage.Authenticated;
import io.hotaru.keys.distill.protocol.DistillMessage.Confirm;
import io.hotaru.keys.distill.protocol.DistillMessage.Detections;
import io.hotaru.keys.distill.protocol.DistillMessage.EstimationBits;
import io.hotaru.keys.distill.protocol.DistillMessage.LinkResume;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityRequest;
import io.hotaru.keys.distill.protocol.DistillMessage.ParityResponse;
import io.hotaru.keys.distill.protocol.DistillMessage.ReconciliationComplete;
import io.hotaru.keys.distill.protocol.DistillMessage.SiftAnnouncement;
import io.hotaru.keys.distill.protocol.DistillMessage.SlotReveal;
import io.hotaru.keys.distill.protocol.DistillMessage.SlotRevealRequest;
import io.hotaru.keys.distill.protocol.DistillMessage.VerificationResult;
import io.hotaru.keys.distill.protocol.DistillMessage.VerificationTag;
import io.hotaru.keys.distill.protocol.codec.CodecException.Code;

/**
 * The binary form of every {@link DistillMessage}. A frame is
 *
 * <pre>
 *   version u8 (= 1) | type u8 | body length u32 (big-endian) | body
 * </pre>
 *
 * <p>and the body holds the record's fields in declaration order: ids, seeds and tags as 8-byte
 * big-endian values; counts and small integers as LEB128 varints (signed ones zig-zag); {@code
 * long[]} as a count and 8-byte words; ascending slot lists and Cascade ranges as zig-zag deltas;
 * byte arrays of small values (bases, intensities, passes) packed 1, 2, 4 or 8 bits each. Arrays
 * that must have equal lengths share one count, so a frame cannot express a mismatch.
 *
 * <p>Decoding is strict: every varint in its shortest form, no trailing bytes, every count checked
 * against the bytes left and the {@link CodecLimits} before allocation, any refusal a {@link
 * CodecException} and nothing else. Stateless and thread-safe.
 */
public final class MessageCodec {
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 6;

    static final int DETECTIONS = 1;
    static final int SIFT_ANNOUNCEMENT = 2;
    static final int ESTIMATION_BITS = 3;
    static final int PARITY_REQUEST = 4;
    static final int PARITY_RESPONSE = 5;
    static final int RECONCILIATION_COMPLETE = 6;
    static final int VERIFICATION_TAG = 7;
    static final int VERIFICATION_RESULT = 8;
    static final int AMPLIFICATION_SEED = 9;
    static final int CONFIRM = 10;
    static final int ABORT = 11;
    static final int AUTHENTICATED = 12;
    static final int AUTH_SYNC = 13;
    static final int SLOT_REVEAL_REQUEST = 14;
    static final int SLOT_REVEAL = 15;
    static final int LINK_RESUME = 16;

    /** Abort reasons by wire code; append only. */
    static final AbortReason[] ABORT_CODES = {
        AbortReason.TOO_FEW_BITS,
        AbortReason.QBER_TOO_HIGH,
        AbortReason.NO_SECRET_KEY,
        AbortReason.VERIFICATION_FAILED,
        AbortReason.PROTOCOL_ERROR,
        AbortReason.INVALID_INPUT,
        AbortReason.AUTHENTICATION_FAILED
    };

    private final CodecLimits limits;

    public MessageCodec(CodecLimits limits) {
        this.limits = limits;
    }

    public MessageCodec() {
        this(CodecLimits.DEFAULT);
    }

    public CodecLimits limits() {
        return limits;
    }

    /**
     * The frame of {@code message}.
     *
     * @throws CodecException ({@link Code#TOO_LARGE}) if the frame would exceed the frame limit
     */
    public byte[] encode(DistillMessage message) {
        FrameWriter w = new FrameWriter(estimate(message), limits.maxFrameBytes());
        w.u8(VERSION);
        w.u8(0);
        w.i32(0);
        int type = writeBody(w, message);
        byte[] frame = w.toArray();
        frame[1] = (byte) type;
        int body = frame.length - HEADER_BYTES;
        frame[2] = (byte) (body >>> 24);
        frame[3] = (byte) (body >>> 16);
        frame[4] = (byte) (body >>> 8);
        frame[5] = (byte) body;
        return frame;
    }

    /**
     * Whether {@code frame} claims to hold a {@link DistillMessage.ReconcileMessage}, judged from
     * its type byte alone (nothing is validated).
     */
    public static boolean isReconcileFrame(byte[] frame) {
        return frame.length > 1 && (frame[1] == PARITY_REQUEST || frame[1] == PARITY_RESPONSE);
    }

    public DistillMessage decode(byte[] frame) {
        return decode(frame, 0, frame.length);
    }

    /** The message in {@code frame[offset, offset + length)}, which must be exactly one frame. */
    public DistillMessage decode(byte[] frame, int offset, int length) {
        if (length > limits.maxFrameBytes()) {
            throw new CodecException(Code.TOO_LARGE, "frame of " + length + " bytes");
        }
        if (length < HEADER_BYTES) {
            throw new CodecException(Code.TRUNCATED, "frame of " + length + " bytes has no header");
        }
        int version = frame[offset] & 0xFF;
        if (version != VERSION) {
            throw new CodecException(Code.UNSUPPORTED_VERSION, "version " + version);
        }
        int type = frame[offset + 1] & 0xFF;
        if (type < DETECTIONS || type > LINK_RESUME) {
            throw new CodecException(Code.UNKNOWN_TYPE, "type " + type);
        }
        long body = ((frame[offset + 2] & 0xFFL) << 24)
                | ((frame[offset + 3] & 0xFF) << 16)
                | ((frame[offset + 4] & 0xFF) << 8)
                | (frame[offset + 5] & 0xFF);
        if (body != length - HEADER_BYTES) {
            throw new CodecException(Code.BAD_LENGTH, "body length " + body + " in a frame of " + length);
        }
        FrameReader r = new FrameReader(frame, offset + HEADER_BYTES, offset + length, limits);
        DistillMessage message = readBody(r, type);
        r.expectEnd();
        return message;
    }

    private static int estimate(DistillMessage m) {
        if (m instanceof Detections d) {
            return 32 + 3 * d.slots().length;
        } else if (m instanceof SiftAnnouncement s) {
            return 64
                    + 8 * (s.siftedMask().length + s.sampleMask().length + s.disclosedBits().length)
                    + s.intensities().length / 4;
        } else if (m instanceof EstimationBits e) {
            return 32 + 8 * e.disclosedBits().length;
        } else if (m instanceof ParityRequest p) {
            return 32 + 4 * p.size();
        } else if (m instanceof ParityResponse p) {
            return 32 + 8 * p.parities().length;
        } else if (m instanceof Authenticated a) {
            return 40 + a.frame().length;
        } else if (m instanceof SlotReveal s) {
            return 40 + 8 * s.vacuumMask().length;
        }
        return 64;
    }

    private static int writeBody(FrameWriter w, DistillMessage message) {
        w.i64(message.blockId());
        if (message instanceof Detections d) {
            w.zigZagLong(d.firstSlot());
            w.zigZagLong(d.endSlot());
            int n = d.slots().length;
            w.varInt(n);
            w.zigZagDeltas(d.firstSlot(), d.slots());
            writeSmall(w, d.bases(), n);
            return DETECTIONS;
        } else if (message instanceof SiftAnnouncement s) {
            writeLongs(w, s.siftedMask());
            w.varInt(s.intensities().length);
            writeSmall(w, s.intensities(), s.intensities().length);
            writeLongs(w, s.sampleMask());
            writeLongs(w, s.disclosedBits());
            w.i64(s.reconcileSeed());
            return SIFT_ANNOUNCEMENT;
        } else if (message instanceof EstimationBits e) {
            writeLongs(w, e.disclosedBits());
            return ESTIMATION_BITS;
        } else if (message instanceof ParityRequest p) {
            w.zigZagInt(p.round());
            int n = p.size();
            w.varInt(n);
            writeSmall(w, p.passes(), n);
            int previous = 0;
            for (int i = 0; i < n; i++) {
                w.zigZagInt(p.starts()[i] - previous);
                previous = p.starts()[i];
            }
            for (int i = 0; i < n; i++) {
                w.zigZagInt(p.ends()[i] - p.starts()[i]);
            }
            return PARITY_REQUEST;
        } else if (message instanceof ParityResponse p) {
            w.zigZagInt(p.round());
            w.zigZagInt(p.count());
            writeLongs(w, p.parities());
            return PARITY_RESPONSE;
        } else if (message instanceof ReconciliationComplete c) {
            w.zigZagLong(c.leakedBits());
            w.zigZagInt(c.correctedBits());
            w.zigZagInt(c.roundTrips());
            return RECONCILIATION_COMPLETE;
        } else if (message instanceof VerificationTag v) {
            w.zigZagInt(v.tagBits());
            writeLongs(w, v.seed());
            writeLongs(w, v.tag());
            return VERIFICATION_TAG;
        } else if (message instanceof VerificationResult v) {
            w.u8(v.match() ? 1 : 0);
            return VERIFICATION_RESULT;
        } else if (message instanceof AmplificationSeed a) {
            w.zigZagInt(a.finalLength());
            writeLongs(w, a.seed());
            return AMPLIFICATION_SEED;
        } else if (message instanceof Confirm) {
            return CONFIRM;
        } else if (message instanceof Abort a) {
            w.u8(abortCode(a.reason()));
            return ABORT;
        } else if (message instanceof Authenticated a) {
            w.varLong(a.sequence());
            w.varInt(a.frame().length);
            w.bytes(a.frame(), 0, a.frame().length);
            w.i64(a.tag());
            return AUTHENTICATED;
        } else if (message instanceof AuthSync a) {
            w.varLong(a.aliceToBobWords());
            w.varLong(a.bobToAliceWords());
            return AUTH_SYNC;
        } else if (message instanceof LinkResume l) {
            w.zigZagLong(l.lastStoredBlock());
            w.varLong(l.depositedWords());
            return LINK_RESUME;
        } else if (message instanceof SlotRevealRequest q) {
            w.zigZagLong(q.firstSlot());
            w.zigZagLong(q.endSlot());
            return SLOT_REVEAL_REQUEST;
        } else if (message instanceof SlotReveal v) {
            w.zigZagLong(v.firstSlot());
            w.zigZagLong(v.endSlot());
            writeLongs(w, v.vacuumMask());
            return SLOT_REVEAL;
        }
        throw new IllegalArgumentException(
                "no encoding for " + message.getClass().getSimpleName());
    }

    private static DistillMessage readBody(FrameReader r, int type) {
        long blockId = r.i64();
        switch (type) {
            case DETECTIONS: {
                long firstSlot = r.zigZagLong();
                long endSlot = r.zigZagLong();
                int n = r.count(9, 9);
                long[] slots = new long[n];
                r.zigZagDeltas(firstSlot, slots, n);
                return new Detections(blockId, firstSlot, endSlot, slots, readSmall(r, n));
            }
            case SIFT_ANNOUNCEMENT: {
                long[] sifted = readLongs(r);
                byte[] intensities = readSmall(r, r.count(1, 1));
                long[] sample = readLongs(r);
                long[] disclosed = readLongs(r);
                return new SiftAnnouncement(blockId, sifted, intensities, sample, disclosed, r.i64());
            }
            case ESTIMATION_BITS:
                return new EstimationBits(blockId, readLongs(r));
            case PARITY_REQUEST: {
                int round = r.zigZagInt();
                int n = r.count(17, 9);
                byte[] passes = readSmall(r, n);
                int[] starts = new int[n];
                int previous = 0;
                for (int i = 0; i < n; i++) {
                    previous += r.zigZagInt();
                    starts[i] = previous;
                }
                int[] ends = new int[n];
                for (int i = 0; i < n; i++) {
                    ends[i] = starts[i] + r.zigZagInt();
                }
                return new ParityRequest(blockId, round, passes, starts, ends);
            }
            case PARITY_RESPONSE:
                return new ParityResponse(blockId, r.zigZagInt(), r.zigZagInt(), readLongs(r));
            case RECONCILIATION_COMPLETE:
                return new ReconciliationComplete(blockId, r.zigZagLong(), r.zigZagInt(), r.zigZagInt());
            case VERIFICATION_TAG:
                return new VerificationTag(blockId, r.zigZagInt(), readLongs(r), readLongs(r));
            case VERIFICATION_RESULT:
                return new VerificationResult(blockId, r.bool());
            case AMPLIFICATION_SEED:
                return new AmplificationSeed(blockId, r.zigZagInt(), readLongs(r));
            case CONFIRM:
                return new Confirm(blockId);
            case ABORT: {
                int code = r.u8();
                if (code >= ABORT_CODES.length) {
                    throw new CodecException(Code.OUT_OF_RANGE, "abort reason " + code);
                }
                return new Abort(blockId, ABORT_CODES[code]);
            }
            case AUTHENTICATED: {
                long sequence = r.varLong();
                byte[] inner = r.raw(r.count(8, 1));
                return new Authenticated(blockId, sequence, inner, r.i64());
            }
            case AUTH_SYNC:
                return new AuthSync(blockId, r.varLong(), r.varLong());
            case LINK_RESUME:
                return new LinkResume(blockId, r.zigZagLong(), r.varLong());
            case SLOT_REVEAL_REQUEST:
                return new SlotRevealRequest(blockId, r.zigZagLong(), r.zigZagLong());
            case SLOT_REVEAL:
                return new SlotReveal(blockId, r.zigZagLong(), r.zigZagLong(), readLongs(r));
            default:
                throw new CodecException(Code.UNKNOWN_TYPE, "type " + type);
        }
    }

    private static int abortCode(AbortReason reason) {
        for (int i = 0; i < ABORT_CODES.length; i++) {
            if (ABORT_CODES[i] == reason) {
                return i;
            }
        }
        throw new IllegalArgumentException("no wire code for " + reason);
    }

    private static void writeLongs(FrameWriter w, long[] values) {
        w.varInt(values.length);
        for (long v : values) {
            w.i64(v);
        }
    }

    private static long[] readLongs(FrameReader r) {
        int n = r.count(64, 8);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.i64();
        }
        return out;
    }

    /** Packs {@code n} values at the narrowest width of 1, 2, 4 or 8 bits that holds them all. */
    private static void writeSmall(FrameWriter w, byte[] values, int n) {
        int all = 0;
        for (byte v : values) {
            all |= v & 0xFF;
        }
        int width = all <= 1 ? 1 : all <= 3 ? 2 : all <= 15 ? 4 : 8;
        w.u8(width);
        if (width == 8) {
            w.bytes(values, 0, n);
            return;
        }
        w.packed(values, n, width);
    }

    /** Unpacks {@code n} values (already counted and charged); padding bits must be zero. */
    private static byte[] readSmall(FrameReader r, int n) {
        int width = r.u8();
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new CodecException(Code.OUT_OF_RANGE, "packing width " + width);
        }
        if (width == 8) {
            return r.raw(n);
        }
        int perByte = 8 / width;
        int bytes = (int) (((long) n * width + 7) / 8);
        if (bytes > r.remaining()) {
            throw new CodecException(Code.TRUNCATED, "packed array needs " + bytes + " bytes");
        }
        byte[] out = new byte[n];
        int mask = (1 << width) - 1;
        for (int k = 0; k < bytes; k++) {
            int b = r.rawByte() & 0xFF;
            int first = k * perByte;
            int here = Math.min(perByte, n - first);
            if ((b >>> (here * width)) != 0) {
                throw new CodecException(Code.OUT_OF_RANGE, "non-zero padding bits");
            }
            for (int j = 0; j < here; j++) {
                out[first + j] = (byte) ((b >>> (j * width)) & mask);
            }
        }
        return out;
    }
}
