package io.hotaru.drivers;

/** The clock that both ends of a link share (10 MHz + PPS, White Rabbit, a recovered clock). */
public interface ClockReference extends Device {

    ClockStatus status();
}
