/*
 * Hotaru native stand-ins: shared declarations. Our own code; no vendor header is copied.
 *
 * Every stand-in exports the vendor's function names plus one control function of ours,
 * hotaru_standin_inject(device, fault, arg), through which tests inject faults. The vendor names
 * never carry fault injection.
 */
#ifndef HOTARU_STANDIN_H
#define HOTARU_STANDIN_H

#include <stdint.h>

#define HOTARU_EXPORT __attribute__((visibility("default")))

enum hotaru_fault {
    HOTARU_FAULT_CLEAR = 0,           /* clear every pending fault */
    HOTARU_FAULT_FIFO_OVERFLOW = 1,   /* PicoQuant: FIFOFULL, arg records lost */
    HOTARU_FAULT_SYNC_LOST = 2,       /* PicoQuant: SYNC_LOST for the next arg flag reads */
    HOTARU_FAULT_UNPLUGGED = 3,       /* every later call fails as if the cable were pulled */
    HOTARU_FAULT_NOT_CONNECTED = 4,   /* quTAG: the next init reports "not connected" (demo mode) */
    HOTARU_FAULT_SHORT_READ = 5,      /* the next read returns at most arg records/bytes */
    HOTARU_FAULT_DATA_LOST = 6,       /* quTAG: data-loss flag set, arg events lost */
    HOTARU_FAULT_EVENTS_PER_READ = 7, /* records produced per read call (rate), not a fault */
    HOTARU_FAULT_AIS31_REQUEST = 8,   /* Quantis: raise the AIS-31 start-up test request flag */
    HOTARU_FAULT_MODULE_FAILED = 9    /* Quantis: module status differs from the module mask */
};

/* The stand-ins' deterministic generator (splitmix64). */
static inline uint64_t hotaru_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

#define HOTARU_TAKE(p) __atomic_exchange_n(&(p), 0, __ATOMIC_ACQ_REL)
#define HOTARU_SET(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define HOTARU_GET(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)

#endif
