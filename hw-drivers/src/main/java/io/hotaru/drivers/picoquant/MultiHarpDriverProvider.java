package io.hotaru.drivers.picoquant;

import io.hotaru.drivers.jna.VendorLibrary;

/** {@code multiharp:0[?mode=t2&standin=true&syncdiv=&synclevel=mV&level=mV&offsetK=ps&deadtime=ps&poll=ms]}. */
public final class MultiHarpDriverProvider extends PicoQuantDriverProvider {

    @Override
    public String scheme() {
        return "multiharp";
    }

    @Override
    VendorLibrary library() {
        return MultiHarpCalls.LIBRARY;
    }

    @Override
    PicoQuantCalls calls(boolean standIn) {
        return new MultiHarpCalls(library().load(MultiHarpLibrary.class, standIn));
    }
}
