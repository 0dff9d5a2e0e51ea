package io.hotaru.drivers.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.DriverProvider;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.TimeTagger;
import org.junit.jupiter.api.Test;

class VendorLibraryTest {

    @Test
    void aMissingLibraryIsOneLineNamingTheFileTheSearchPathAndTheFix() {
        var missing = new VendorLibrary("Acme TDC", "hotaru_no_such_vendor_lib");
        var a = missing.availability();
        assertThat(a.available()).isFalse();
        assertThat(a.detail())
                .doesNotContain("\n")
                .contains("libhotaru_no_such_vendor_lib.so")
                .contains("jna.library.path=")
                .endsWith("install the vendor software, or use sim:");
    }

    @Test
    void theStandInIsNeverLoadedInPlaceOfTheVendorLibrary() {
        // The stand-ins sit on the class path under the vendor names; without ?standin=true the
        // bindings must still report the vendor library as missing (none is installed here).
        for (DriverProvider p : Drivers.discover().providers()) {
            assertThat(p.availability().available()).as(p.scheme()).isFalse();
            assertThat(p.availability().detail()).as(p.scheme()).contains("install the vendor software, or use sim:");
        }
        assertThatThrownBy(() -> Drivers.discover().open(DeviceUri.parse("qutag:0"), TimeTagger.class))
                .isInstanceOfSatisfying(
                        DeviceException.class,
                        e -> assertThat(e.code()).isEqualTo(DeviceException.Code.LIBRARY_MISSING));
    }

    @Test
    void everyBindingIsFoundByScheme() {
        assertThat(Drivers.discover().providers())
                .extracting(DriverProvider::scheme)
                .contains("hydraharp", "multiharp", "quantis", "qutag");
    }
}
