package io.hotaru.bench.drivers;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.drivers.jna.LossReporting;
import io.hotaru.drivers.jna.StandIn;
import io.hotaru.drivers.jna.StandInFault;
import io.hotaru.drivers.jna.VendorLibrary;
import io.hotaru.drivers.picoquant.MultiHarpDriverProvider;
import io.hotaru.drivers.picoquant.MultiHarpLibrary;
import io.hotaru.drivers.picoquant.T2Decoder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * T2 records from the MultiHarp stand-in through JNA into SPI batches; the {@code records} and
 * {@code events} counters are per second. {@code direct}: one thread calls MH_ReadFiFo (1,048,576
 * records per call), copies out of the reused buffer and decodes into a TagBatch's arrays: the
 * capacity of the vendor-call path. {@code throughTagger}: the whole adapter (owner thread, ring,
 * {@code TimeTagger.read}); events the ring dropped are reported in {@code dropped}. Run {@code java
 * -jar bench/target/benchmarks.jar T2AcquisitionBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class T2AcquisitionBenchmark {

    private static final VendorLibrary MHLIB = new VendorLibrary("PicoQuant MultiHarp", "mhlib");

    /** Records and events per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts {
        public long records;
        public long events;
        public long dropped;

        @Setup(Level.Iteration)
        public void clear() {
            records = 0;
            events = 0;
            dropped = 0;
        }
    }

    /** The raw library on device 0, measuring. */
    @State(Scope.Thread)
    public static class Direct {
        MultiHarpLibrary lib;
        Memory fifo = new Memory(4L * MultiHarpLibrary.TTREADMAX);
        int[] words = new int[MultiHarpLibrary.TTREADMAX];
        IntByReference n = new IntByReference();
        TagBatch batch = new TagBatch(MultiHarpLibrary.TTREADMAX);
        T2Decoder decoder;

        @Setup
        public void open() {
            lib = MHLIB.load(MultiHarpLibrary.class, true).library();
            StandIn.inject(MHLIB, 0, StandInFault.EVENTS_PER_READ, MultiHarpLibrary.TTREADMAX);
            lib.MH_OpenDevice(0, new byte[16]);
            lib.MH_Initialize(0, 2, 0);
            lib.MH_StartMeas(0, 360_000_000);
            decoder = new T2Decoder(5.0, 4);
        }

        @TearDown
        public void close() {
            lib.MH_StopMeas(0);
            lib.MH_CloseDevice(0);
            StandIn.inject(MHLIB, 0, StandInFault.CLEAR, 0);
        }
    }

    /** The adapter on device 1. */
    @State(Scope.Thread)
    public static class Adapter {
        TimeTagger tagger;
        TagBatch batch = new TagBatch(1 << 20);

        @Setup
        public void open() {
            StandIn.inject(MHLIB, 1, StandInFault.EVENTS_PER_READ, MultiHarpLibrary.TTREADMAX);
            tagger = new MultiHarpDriverProvider()
                    .open(DeviceUri.parse("multiharp:1?mode=t2&standin=true&poll=0"), TimeTagger.class);
            tagger.start();
        }

        @TearDown
        public void close() {
            tagger.close();
            StandIn.inject(MHLIB, 1, StandInFault.CLEAR, 0);
        }
    }

    @Benchmark
    public int direct(Direct d, Counts c) {
        d.lib.MH_ReadFiFo(0, d.fifo, d.n);
        int n = d.n.getValue();
        d.fifo.read(0, d.words, 0, n);
        int events = d.decoder.decode(d.words, n, d.batch.timestampsPs(), d.batch.channels());
        d.batch.fill(events, false, d.decoder.lastPs());
        c.records += n;
        c.events += events;
        return events;
    }

    @Benchmark
    public int throughTagger(Adapter a, Counts c) {
        long droppedBefore = ((LossReporting) a.tagger).acquisitionStats().eventsDropped();
        int n = a.tagger.read(a.batch);
        if (n == 0) {
            LockSupport.parkNanos(50_000);
        }
        c.events += n;
        c.dropped += ((LossReporting) a.tagger).acquisitionStats().eventsDropped() - droppedBefore;
        return n;
    }
}
