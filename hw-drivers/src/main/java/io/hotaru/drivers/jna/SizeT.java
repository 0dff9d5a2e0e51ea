package io.hotaru.drivers.jna;

import com.sun.jna.IntegerType;
import com.sun.jna.Native;

/** C {@code size_t}. */
public final class SizeT extends IntegerType {

    public SizeT() {
        this(0);
    }

    public SizeT(long value) {
        super(Native.SIZE_T_SIZE, value, true);
    }
}
