package io.hotaru.bench.drivers;

import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.quantis.QuantisDriverProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bytes per second from the Quantis stand-in through JNA and the owner thread into the caller's
 * array ({@code bytes} counter; divide by 10^6 for MB/s). The stand-in's own generator is part of
 * the figure. Run {@code java -jar bench/target/benchmarks.jar QuantisReadBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class QuantisReadBenchmark {

    @Param({"1048576"})
    public int request;

    private Qrng qrng;
    private byte[] out;

    /** Bytes per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void clear() {
            bytes = 0;
        }
    }

    @Setup
    public void open() {
        qrng = new QuantisDriverProvider().open(DeviceUri.parse("quantis:pci:0?standin=true"), Qrng.class);
        out = new byte[request];
    }

    @TearDown
    public void close() {
        qrng.close();
    }

    @Benchmark
    public byte[] nextBytes(Bytes b) {
        qrng.nextBytes(out);
        b.bytes += out.length;
        return out;
    }
}
