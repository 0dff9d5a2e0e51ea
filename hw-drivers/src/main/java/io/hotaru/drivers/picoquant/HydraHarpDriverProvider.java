package io.hotaru.drivers.picoquant;

import io.hotaru.drivers.jna.VendorLibrary;

/** {@code hydraharp:0[?mode=t2&standin=true&syncdiv=&synclevel=mV&level=mV&offsetK=ps&poll=ms]} (CFD levels). */
public final class HydraHarpDriverProvider extends PicoQuantDriverProvider {

    @Override
    public String scheme() {
        return "hydraharp";
    }

    @Override
    VendorLibrary library() {
        return HydraHarpCalls.LIBRARY;
    }

    @Override
    PicoQuantCalls calls(boolean standIn) {
        return new HydraHarpCalls(library().load(HydraHarpLibrary.class, standIn));
    }
}
