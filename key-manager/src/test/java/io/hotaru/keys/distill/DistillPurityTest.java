package io.hotaru.keys.distill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The distillation packages are pure algorithms: no I/O, network, Netty, logging, clock or
 * private randomness. Checked on the compiled classes' constant pools, so it needs no extra
 * library; an ArchUnit rule can replace it once ArchUnit is on the module's test classpath.
 */
class DistillPurityTest {
    private static final List<String> FORBIDDEN_PACKAGES = List.of(
            "java/io/",
            "java/net/",
            "java/nio/",
            "java/time/",
            "java/util/logging/",
            "java/lang/System$Logger",
            "io/netty/",
            "org/slf4j/",
            "ch/qos/logback/",
            "java/util/Random",
            "java/util/SplittableRandom",
            "java/util/concurrent/ThreadLocalRandom",
            "java/security/SecureRandom");
    private static final List<String> FORBIDDEN_MEMBERS = List.of("currentTimeMillis", "nanoTime");

    @Test
    void distillationClassesUseNoIoClockLoggingOrOwnRandomness() throws IOException, URISyntaxException {
        Path root = Path.of(AliceSession.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve("io/hotaru/keys/distill");
        List<String> violations = new ArrayList<>();
        int classes = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                classes++;
                for (String constant : utf8Constants(file)) {
                    for (String p : FORBIDDEN_PACKAGES) {
                        if (constant.startsWith(p) || constant.contains("L" + p)) {
                            violations.add(root.relativize(file) + " uses " + constant);
                        }
                    }
                    if (FORBIDDEN_MEMBERS.contains(constant)) {
                        violations.add(root.relativize(file) + " calls " + constant);
                    }
                }
            }
        }
        assertThat(classes).isGreaterThan(20);
        assertThat(violations).isEmpty();
    }

    /** The CONSTANT_Utf8 entries of a class file (JVMS §4.4). */
    static List<String> utf8Constants(Path classFile) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(classFile);
                DataInputStream in = new DataInputStream(raw)) {
            in.readInt();
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> out.add(in.readUTF());
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    default -> throw new IOException("unknown constant tag " + tag + " in " + classFile);
                }
            }
        }
        return out;
    }
}
