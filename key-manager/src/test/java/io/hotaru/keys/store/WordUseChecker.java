package io.hotaru.keys.store;

import io.hotaru.keys.distill.auth.AuthKeySource;
import io.hotaru.keys.distill.auth.Direction;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records every authentication-key word one end hands out, by direction and position, across any
 * number of restarts of that end (wrap each life's pool with {@link #wrap}); {@link #violations}
 * lists every position handed out twice. Words skipped are never handed out and not recorded.
 */
public final class WordUseChecker {
    private final Map<Direction, Set<Long>> used = new EnumMap<>(Direction.class);
    private final List<String> violations = new ArrayList<>();

    public WordUseChecker() {
        for (Direction d : Direction.values()) {
            used.put(d, new HashSet<>());
        }
    }

    /** {@code keys}, with every word it hands out recorded here. */
    public AuthKeySource wrap(AuthKeySource keys) {
        return new AuthKeySource() {
            @Override
            public long nextWord(Direction direction) {
                synchronized (WordUseChecker.this) {
                    long position = keys.position(direction);
                    long word = keys.nextWord(direction);
                    if (!used.get(direction).add(position)) {
                        violations.add(direction + " word " + position + " handed out twice");
                    }
                    return word;
                }
            }

            @Override
            public long position(Direction direction) {
                return keys.position(direction);
            }

            @Override
            public void skipTo(Direction direction, long position) {
                keys.skipTo(direction, position);
            }
        };
    }

    public synchronized long count(Direction direction) {
        return used.get(direction).size();
    }

    public synchronized long highest(Direction direction) {
        return used.get(direction).stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    public synchronized long lowest(Direction direction) {
        return used.get(direction).stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }
}
