/*
 * Stand-in for the PicoQuant MultiHarp (MHLib, -DHOTARU_MULTIHARP) and HydraHarp v3 (HHLib,
 * -DHOTARU_HYDRAHARP) libraries in T2 mode, for tests and benchmarks without hardware. Our own code
 * after our reading of the manuals; no vendor header or demo is copied.
 *
 * T2 records: bit 31 special, bits 30..25 channel, bits 24..0 time tag. Special + channel 63 is an
 * overflow whose time tag is the number of overflows; special + channel 0 a sync; special + 1..15 a
 * marker; non-special a photon on input channel + 1.
 */
#include <stdio.h>
#include <string.h>

#include "hotaru_standin.h"

#if defined(HOTARU_MULTIHARP)
#define FN(name) MH_##name
#define TTREADMAX 1048576
#define BASE_RESOLUTION 5.0
#define MODEL "MultiHarp 150" /* model buffers hold 16 chars */
#elif defined(HOTARU_HYDRAHARP)
#define FN(name) HH_##name
#define TTREADMAX 131072
#define BASE_RESOLUTION 1.0
#define MODEL "HydraHarp 400"
#else
#error "define HOTARU_MULTIHARP or HOTARU_HYDRAHARP"
#endif

#define MAXDEV 8
#define INPUTS 4
#define MODE_T2 2
#define MODE_T3 3
#define FLAG_FIFOFULL 0x2
#define FLAG_SYNC_LOST 0x4
#define FLAG_ACTIVE 0x20
#define WARNING_SYNC_RATE_ZERO 0x1

#define ERROR_NONE 0
#define ERROR_DEVICE_OPEN_FAIL -1
#define ERROR_DEVICE_NOT_OPEN -10 /* error codes after our reading, unverified */
#define ERROR_INSTANCE_RUNNING -16
#define ERROR_INVALID_ARGUMENT -17
#define ERROR_INVALID_MODE -18
#define ERROR_USB_IO -20

struct device {
    int open, initialised, mode, measuring, sync_div;
    int events_per_read, fault_short_read, fault_fifo_lost, fault_sync_lost_reads, fault_unplugged;
    int flags_latched;
    long long tacq_units, elapsed_units, time_units;
    uint64_t rng, records;
};

static struct device dev[MAXDEV];

static int check(int idx) {
    if (idx < 0 || idx >= MAXDEV) return ERROR_INVALID_ARGUMENT;
    if (HOTARU_GET(dev[idx].fault_unplugged)) return ERROR_USB_IO;
    if (!dev[idx].open) return ERROR_DEVICE_NOT_OPEN;
    return ERROR_NONE;
}

HOTARU_EXPORT int hotaru_standin_inject(int idx, int fault, int arg) {
    if (idx < 0 || idx >= MAXDEV) return ERROR_INVALID_ARGUMENT;
    struct device *d = &dev[idx];
    switch (fault) {
    case HOTARU_FAULT_CLEAR:
        HOTARU_SET(d->fault_short_read, 0);
        HOTARU_SET(d->fault_fifo_lost, 0);
        HOTARU_SET(d->fault_sync_lost_reads, 0);
        HOTARU_SET(d->fault_unplugged, 0);
        HOTARU_SET(d->events_per_read, 0);
        return 0;
    case HOTARU_FAULT_FIFO_OVERFLOW: HOTARU_SET(d->fault_fifo_lost, arg > 0 ? arg : 1); return 0;
    case HOTARU_FAULT_SYNC_LOST: HOTARU_SET(d->fault_sync_lost_reads, arg > 0 ? arg : 1); return 0;
    case HOTARU_FAULT_UNPLUGGED: HOTARU_SET(d->fault_unplugged, 1); return 0;
    case HOTARU_FAULT_SHORT_READ: HOTARU_SET(d->fault_short_read, arg > 0 ? arg : 1); return 0;
    case HOTARU_FAULT_EVENTS_PER_READ: HOTARU_SET(d->events_per_read, arg); return 0;
    default: return ERROR_INVALID_ARGUMENT;
    }
}

HOTARU_EXPORT int FN(GetLibraryVersion)(char *vers) {
#if defined(HOTARU_MULTIHARP)
    strcpy(vers, "3.1");
#else
    strcpy(vers, "3.0");
#endif
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(GetErrorString)(char *errstring, int errcode) {
    const char *text;
    switch (errcode) {
    case ERROR_NONE: text = "no error"; break;
    case ERROR_DEVICE_OPEN_FAIL: text = "device open failed"; break;
    case ERROR_DEVICE_NOT_OPEN: text = "device not open"; break;
    case ERROR_INSTANCE_RUNNING: text = "measurement already running"; break;
    case ERROR_INVALID_ARGUMENT: text = "invalid argument"; break;
    case ERROR_INVALID_MODE: text = "invalid mode"; break;
    case ERROR_USB_IO: text = "USB I/O failed (device unplugged?)"; break;
    default: text = "unknown error"; break;
    }
    strcpy(errstring, text);
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(OpenDevice)(int idx, char *serial) {
    if (idx < 0 || idx >= MAXDEV) return ERROR_INVALID_ARGUMENT;
    if (idx > 1 || HOTARU_GET(dev[idx].fault_unplugged)) return ERROR_DEVICE_OPEN_FAIL;
    struct device *d = &dev[idx];
    int epr = d->events_per_read;
    memset(d, 0, sizeof *d);
    d->events_per_read = epr;
    d->open = 1;
    d->sync_div = 1;
    d->rng = 1000 + (uint64_t)idx;
    snprintf(serial, 8, "%07d", 1000000 + idx);
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(CloseDevice)(int idx) {
    if (idx < 0 || idx >= MAXDEV) return ERROR_INVALID_ARGUMENT;
    dev[idx].open = 0;
    dev[idx].measuring = 0;
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(Initialize)(int idx, int mode, int refsource) {
    int rc = check(idx);
    if (rc) return rc;
    if (mode != MODE_T2 && mode != MODE_T3) return ERROR_INVALID_MODE;
    if (refsource < 0 || refsource > 7) return ERROR_INVALID_ARGUMENT;
    dev[idx].initialised = 1;
    dev[idx].mode = mode;
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(GetHardwareInfo)(int idx, char *model, char *partno, char *version) {
    int rc = check(idx);
    if (rc) return rc;
    strcpy(model, MODEL);
    strcpy(partno, "000000");
    strcpy(version, "0.0");
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(GetNumOfInputChannels)(int idx, int *nchannels) {
    int rc = check(idx);
    if (rc) return rc;
    *nchannels = INPUTS;
    return ERROR_NONE;
}

#if defined(HOTARU_HYDRAHARP)
HOTARU_EXPORT int HH_Calibrate(int idx) { return check(idx); }

HOTARU_EXPORT int HH_SetSyncCFD(int idx, int level, int zerocross) {
    int rc = check(idx);
    if (rc) return rc;
    return level < 0 || level > 1000 || zerocross < 0 || zerocross > 40 ? ERROR_INVALID_ARGUMENT : ERROR_NONE;
}

HOTARU_EXPORT int HH_SetInputCFD(int idx, int channel, int level, int zerocross) {
    int rc = check(idx);
    if (rc) return rc;
    return channel < 0 || channel >= INPUTS || level < 0 || level > 1000 || zerocross < 0 || zerocross > 40
            ? ERROR_INVALID_ARGUMENT
            : ERROR_NONE;
}
#else
HOTARU_EXPORT int MH_SetSyncEdgeTrg(int idx, int level, int edge) {
    int rc = check(idx);
    if (rc) return rc;
    return level < -1200 || level > 1200 || edge < 0 || edge > 1 ? ERROR_INVALID_ARGUMENT : ERROR_NONE;
}

HOTARU_EXPORT int MH_SetInputEdgeTrg(int idx, int channel, int level, int edge) {
    int rc = check(idx);
    if (rc) return rc;
    return channel < 0 || channel >= INPUTS || level < -1200 || level > 1200 || edge < 0 || edge > 1
            ? ERROR_INVALID_ARGUMENT
            : ERROR_NONE;
}

HOTARU_EXPORT int MH_SetInputDeadTime(int idx, int channel, int on, int deadtime) {
    int rc = check(idx);
    if (rc) return rc;
    return channel < 0 || channel >= INPUTS || on < 0 || on > 1 || deadtime < 800 || deadtime > 160000
            ? ERROR_INVALID_ARGUMENT
            : ERROR_NONE;
}
#endif

HOTARU_EXPORT int FN(SetSyncDiv)(int idx, int div) {
    int rc = check(idx);
    if (rc) return rc;
    if (div < 1 || div > 16) return ERROR_INVALID_ARGUMENT;
    dev[idx].sync_div = div;
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(SetSyncChannelOffset)(int idx, int value) {
    int rc = check(idx);
    if (rc) return rc;
    return value < -99999 || value > 99999 ? ERROR_INVALID_ARGUMENT : ERROR_NONE;
}

HOTARU_EXPORT int FN(SetInputChannelOffset)(int idx, int channel, int value) {
    int rc = check(idx);
    if (rc) return rc;
    return channel < 0 || channel >= INPUTS || value < -99999 || value > 99999 ? ERROR_INVALID_ARGUMENT
                                                                               : ERROR_NONE;
}

HOTARU_EXPORT int FN(GetResolution)(int idx, double *resolution) {
    int rc = check(idx);
    if (rc) return rc;
    *resolution = BASE_RESOLUTION;
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(StartMeas)(int idx, int tacq) {
    int rc = check(idx);
    if (rc) return rc;
    if (!dev[idx].initialised) return ERROR_INVALID_MODE;
    if (dev[idx].measuring) return ERROR_INSTANCE_RUNNING;
    if (tacq < 1 || tacq > 360000000) return ERROR_INVALID_ARGUMENT;
    dev[idx].measuring = 1;
    dev[idx].flags_latched = 0;
    dev[idx].tacq_units = (long long)((double)tacq * 1e9 / BASE_RESOLUTION);
    dev[idx].elapsed_units = 0;
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(StopMeas)(int idx) {
    int rc = check(idx);
    if (rc) return rc;
    dev[idx].measuring = 0;
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(CTCStatus)(int idx, int *ctcstatus) {
    int rc = check(idx);
    if (rc) return rc;
    *ctcstatus = dev[idx].elapsed_units >= dev[idx].tacq_units ? 1 : 0;
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(GetFlags)(int idx, int *flags) {
    int rc = check(idx);
    if (rc) return rc;
    struct device *d = &dev[idx];
    int f = d->flags_latched | (d->measuring ? FLAG_ACTIVE : 0);
    if (HOTARU_GET(d->fault_fifo_lost)) f |= FLAG_FIFOFULL;
    int sl = HOTARU_GET(d->fault_sync_lost_reads);
    if (sl > 0) {
        f |= FLAG_SYNC_LOST;
        __atomic_fetch_sub(&d->fault_sync_lost_reads, 1, __ATOMIC_ACQ_REL);
    }
    *flags = f;
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(GetWarnings)(int idx, int *warnings) {
    int rc = check(idx);
    if (rc) return rc;
    *warnings = HOTARU_GET(dev[idx].fault_sync_lost_reads) > 0 ? WARNING_SYNC_RATE_ZERO : 0;
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(GetWarningsText)(int idx, char *text, int warnings) {
    int rc = check(idx);
    if (rc) return rc;
    text[0] = 0;
    if (warnings & WARNING_SYNC_RATE_ZERO) strcpy(text, "Sync rate is zero.\n");
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(GetSyncRate)(int idx, int *syncrate) {
    int rc = check(idx);
    if (rc) return rc;
    *syncrate = HOTARU_GET(dev[idx].fault_sync_lost_reads) > 0 ? 0 : 80000000 / dev[idx].sync_div;
    return ERROR_NONE;
}

HOTARU_EXPORT int FN(GetCountRate)(int idx, int channel, int *cntrate) {
    int rc = check(idx);
    if (rc) return rc;
    if (channel < 0 || channel >= INPUTS) return ERROR_INVALID_ARGUMENT;
    *cntrate = 250000;
    return ERROR_NONE;
}

static int fill(struct device *d, unsigned int *buffer, int max) {
    int n = HOTARU_GET(d->events_per_read);
    if (n <= 0) n = 256;
    int short_read = HOTARU_TAKE(d->fault_short_read);
    if (short_read && short_read < n) n = short_read;
    if (n > max) n = max;
    if (!d->measuring) return 0;
    int lost = HOTARU_TAKE(d->fault_fifo_lost);
    if (lost) {
        d->flags_latched |= FLAG_FIFOFULL; /* the lost records are skipped: time jumps */
        for (int i = 0; i < lost; i++) d->time_units += 1 + (long long)(hotaru_next(&d->rng) & 4095);
    }
    int sync_lost = HOTARU_GET(d->fault_sync_lost_reads) > 0;
    int i = 0;
    long long last_epoch = d->time_units >> 25;
    while (i < n) {
        uint64_t r = hotaru_next(&d->rng);
        long long step = 1 + (long long)(r & 4095);
        d->time_units += step;
        d->elapsed_units += step;
        long long epoch = d->time_units >> 25;
        if (epoch != last_epoch) {
            buffer[i++] = 0xFE000000u | (unsigned int)(epoch - last_epoch);
            last_epoch = epoch;
            if (i == n) break;
        }
        unsigned int tag = (unsigned int)(d->time_units & 0x1FFFFFF);
        if (!sync_lost && ((r >> 12) & 63) == 0) {
            buffer[i++] = 0x80000000u | tag; /* sync */
        } else {
            unsigned int channel = (unsigned int)((r >> 20) & 3);
            buffer[i++] = (channel << 25) | tag;
        }
    }
    d->records += (uint64_t)i;
    return i;
}

#if defined(HOTARU_MULTIHARP)
HOTARU_EXPORT int MH_ReadFiFo(int idx, unsigned int *buffer, int *nactual) {
    int rc = check(idx);
    if (rc) return rc;
    *nactual = fill(&dev[idx], buffer, TTREADMAX);
    return ERROR_NONE;
}
#else
HOTARU_EXPORT int HH_ReadFiFo(int idx, unsigned int *buffer, int count, int *nactual) {
    int rc = check(idx);
    if (rc) return rc;
    if (count < 128 || count > TTREADMAX) return ERROR_INVALID_ARGUMENT;
    *nactual = fill(&dev[idx], buffer, count);
    return ERROR_NONE;
}
#endif
