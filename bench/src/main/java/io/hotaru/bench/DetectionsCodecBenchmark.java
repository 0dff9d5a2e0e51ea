package io.hotaru.bench;

import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.codec.MessageCodec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding one block's {@code Detections} message, the largest frame a receiving node sends: the
 * slots are ascending with geometric gaps of mean {@code meanGap} (about 92 slots on fibre-1ghz,
 * 10.9·10⁶ detections per second of a 1 GHz source) and the bases are random bits. ns per
 * detection = 1000 · score / detections.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DetectionsCodecBenchmark {
    @Param({"262144"})
    public int detections;

    @Param({"92"})
    public double meanGap;

    private final MessageCodec codec = new MessageCodec();
    private DistillMessage.Detections message;
    private byte[] frame;

    @Setup
    public void block() {
        SplittableRandom random = new SplittableRandom(8);
        long[] slots = new long[detections];
        byte[] bases = new byte[detections];
        long first = 1L << 40;
        long slot = first;
        for (int i = 0; i < detections; i++) {
            slot += 1 + (long) (-Math.log(1 - random.nextDouble()) * (meanGap - 1));
            slots[i] = slot;
            bases[i] = (byte) random.nextInt(2);
        }
        message = new DistillMessage.Detections(7, first, slot + 1, slots, bases);
        frame = codec.encode(message);
    }

    @Benchmark
    public byte[] encode() {
        return codec.encode(message);
    }

    @Benchmark
    public DistillMessage decode() {
        return codec.decode(frame);
    }
}
