/*
 * Stand-in for the qutools quTAG library (tdcbase), for tests and benchmarks without hardware.
 * Implements the subset of the TDC_ ABI that Hotaru binds, from our own reading of the manual.
 * Deterministic: every read returns the next events of a fixed pseudo-random sequence.
 */
#include <stddef.h>
#include <string.h>

#include "hotaru_standin.h"

enum {
    TDC_Ok = 0,
    TDC_Error = -1,
    TDC_Timeout = 1,
    TDC_NotConnected = 2,
    TDC_DriverError = 3,
    TDC_NoDevice = 9,
    TDC_OutOfRange = 10,
    TDC_NotInitialized = 12
};

#define CHANNELS 5
#define COINC_COUNTERS 31
#define MAX_BUFFER 1000000

static int initialised;
static int demo_mode;
static int32_t buffer_size = 10000;
static int32_t channel_mask;
static int32_t delays_ps[CHANNELS];
static int32_t dead_time_ps[CHANNELS];
static int32_t selftest_mask, selftest_period, selftest_burst, selftest_distance;
static int64_t now_bins;
static uint64_t rng = 42;
static int32_t singles[CHANNELS];
static int32_t data_lost_now;

static int fault_not_connected, fault_unplugged, fault_short_read, fault_data_lost;
static int events_per_read = 256;

HOTARU_EXPORT int hotaru_standin_inject(int device, int fault, int arg) {
    (void)device;
    switch (fault) {
    case HOTARU_FAULT_CLEAR:
        HOTARU_SET(fault_not_connected, 0);
        HOTARU_SET(fault_unplugged, 0);
        HOTARU_SET(fault_short_read, 0);
        HOTARU_SET(fault_data_lost, 0);
        HOTARU_SET(events_per_read, 256);
        return 0;
    case HOTARU_FAULT_NOT_CONNECTED: HOTARU_SET(fault_not_connected, 1); return 0;
    case HOTARU_FAULT_UNPLUGGED: HOTARU_SET(fault_unplugged, 1); return 0;
    case HOTARU_FAULT_SHORT_READ: HOTARU_SET(fault_short_read, arg > 0 ? arg : 1); return 0;
    case HOTARU_FAULT_DATA_LOST: HOTARU_SET(fault_data_lost, arg > 0 ? arg : 1); return 0;
    case HOTARU_FAULT_EVENTS_PER_READ: HOTARU_SET(events_per_read, arg > 0 ? arg : 1); return 0;
    default: return -1;
    }
}

static int usable(void) {
    if (HOTARU_GET(fault_unplugged)) return TDC_NotConnected;
    if (!initialised) return TDC_NotInitialized;
    return TDC_Ok;
}

HOTARU_EXPORT int TDC_init(int deviceId) {
    if (deviceId < -1 || deviceId > 0) return TDC_NoDevice;
    initialised = 1;
    now_bins = 0;
    rng = 42;
    channel_mask = 0;
    selftest_mask = 0;
    memset(singles, 0, sizeof singles);
    data_lost_now = 0;
    demo_mode = HOTARU_TAKE(fault_not_connected) || HOTARU_GET(fault_unplugged);
    return demo_mode ? TDC_NotConnected : TDC_Ok;
}

HOTARU_EXPORT int TDC_deInit(void) {
    if (!initialised) return TDC_NotInitialized;
    initialised = 0;
    demo_mode = 0;
    return TDC_Ok;
}

HOTARU_EXPORT double TDC_getTimebase(void) { return 1e-12; }

HOTARU_EXPORT int TDC_getDevType(void) { return initialised && !demo_mode ? 1 : 0; }

HOTARU_EXPORT double TDC_getVersion(void) { return 0.0; }

HOTARU_EXPORT int TDC_enableChannels(int32_t channelMask) {
    if (demo_mode) return TDC_Ok;
    int rc = usable();
    if (rc) return rc;
    if (channelMask < 0 || channelMask >= (1 << CHANNELS)) return TDC_OutOfRange;
    channel_mask = channelMask;
    return TDC_Ok;
}

HOTARU_EXPORT int TDC_setTimestampBufferSize(int32_t size) {
    if (demo_mode) return TDC_Ok;
    int rc = usable();
    if (rc) return rc;
    if (size < 1 || size > MAX_BUFFER) return TDC_OutOfRange;
    buffer_size = size;
    return TDC_Ok;
}

HOTARU_EXPORT int TDC_getTimestampBufferSize(int32_t *size) {
    int rc = usable();
    if (rc && !demo_mode) return rc;
    *size = buffer_size;
    return TDC_Ok;
}

HOTARU_EXPORT int TDC_setChannelDelay(int32_t channel, int32_t delay) {
    if (demo_mode) return TDC_Ok;
    int rc = usable();
    if (rc) return rc;
    if (channel < 0 || channel >= CHANNELS || delay < -100000 || delay > 100000) return TDC_OutOfRange;
    delays_ps[channel] = delay;
    return TDC_Ok;
}

HOTARU_EXPORT int TDC_setDeadTime(int32_t channel, int32_t deadTime) {
    if (demo_mode) return TDC_Ok;
    int rc = usable();
    if (rc) return rc;
    if (channel < 0 || channel >= CHANNELS || deadTime < 0) return TDC_OutOfRange;
    dead_time_ps[channel] = deadTime;
    return TDC_Ok;
}

HOTARU_EXPORT int TDC_configureSelftest(int32_t channelMask, int32_t period, int32_t burstSize, int32_t burstDist) {
    if (demo_mode) return TDC_Ok;
    int rc = usable();
    if (rc) return rc;
    if (channelMask < 0 || channelMask >= (1 << CHANNELS) || (channelMask && period < 2)) return TDC_OutOfRange;
    selftest_mask = channelMask;
    selftest_period = period;
    selftest_burst = burstSize;
    selftest_distance = burstDist;
    return TDC_Ok;
}

HOTARU_EXPORT int TDC_getDataLost(int32_t *lost) {
    int rc = usable();
    if (rc && !demo_mode) return rc;
    *lost = data_lost_now;
    data_lost_now = 0;
    return TDC_Ok;
}

static int pick_channel(int32_t mask) {
    int n = __builtin_popcount((unsigned)mask);
    int k = (int)(hotaru_next(&rng) % (uint64_t)n);
    for (int c = 0; c < CHANNELS; c++) {
        if (mask & (1 << c)) {
            if (k-- == 0) return c;
        }
    }
    return 0;
}

HOTARU_EXPORT int TDC_getLastTimestamps(int32_t reset, int64_t *timestamps, uint8_t *channels, int32_t *valid) {
    (void)reset; /* each call returns the events since the previous one, as with reset = 1 */
    int rc = usable();
    if (rc && !demo_mode) return rc;
    int32_t mask = selftest_mask ? selftest_mask : channel_mask;
    int n = HOTARU_GET(events_per_read);
    int short_read = HOTARU_TAKE(fault_short_read);
    if (short_read && short_read < n) n = short_read;
    if (n > buffer_size) n = buffer_size;
    if (mask == 0) n = 0;
    int lost = HOTARU_TAKE(fault_data_lost);
    if (lost) {
        data_lost_now = 1;
        for (int i = 0; i < lost; i++) now_bins += 1 + (int64_t)(hotaru_next(&rng) % 4000);
    }
    for (int i = 0; i < n; i++) {
        int c;
        if (selftest_mask) {
            now_bins += (int64_t)selftest_period * 5000 / __builtin_popcount((unsigned)selftest_mask);
            c = pick_channel(selftest_mask);
        } else {
            now_bins += 1 + (int64_t)(hotaru_next(&rng) % 4000);
            c = pick_channel(mask);
        }
        timestamps[i] = now_bins + delays_ps[c];
        channels[i] = (uint8_t)c;
        singles[c]++;
    }
    *valid = n;
    return TDC_Ok;
}

HOTARU_EXPORT int TDC_getCoincCounters(int32_t *data, int32_t *updates) {
    int rc = usable();
    if (rc && !demo_mode) return rc;
    memset(data, 0, COINC_COUNTERS * sizeof(int32_t));
    for (int c = 0; c < CHANNELS; c++) {
        data[c] = singles[c];
        singles[c] = 0;
    }
    *updates = 1;
    return TDC_Ok;
}

HOTARU_EXPORT const char *TDC_perror(int rc) {
    switch (rc) {
    case TDC_Ok: return "Success";
    case TDC_Error: return "Unspecified error";
    case TDC_Timeout: return "Receive timed out";
    case TDC_NotConnected: return "No connection was established";
    case TDC_DriverError: return "Error accessing the USB driver";
    case TDC_NoDevice: return "No suitable device found";
    case TDC_OutOfRange: return "Parameter out of range";
    case TDC_NotInitialized: return "Library not initialized";
    default: return "Unknown error";
    }
}
