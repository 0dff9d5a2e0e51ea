/*
 * Stand-in for the ID Quantique Quantis library (libQuantis), for tests and benchmarks without a
 * QRNG. Our own code; its bytes are deterministic pseudo-random, not random: never key material.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotaru_standin.h"

#define QUANTIS_SUCCESS 0
#define QUANTIS_ERROR_NO_DRIVER -101
#define QUANTIS_ERROR_INVALID_DEVICE_NUMBER -102
#define QUANTIS_ERROR_INVALID_READ_SIZE -103
#define QUANTIS_ERROR_INVALID_PARAMETER -104
#define QUANTIS_ERROR_NO_MEMORY -105
#define QUANTIS_ERROR_NO_MODULE -106
#define QUANTIS_ERROR_IO -107
#define QUANTIS_ERROR_NO_DEVICE -108
#define QUANTIS_ERROR_OPERATION_NOT_SUPPORTED -109
#define QUANTIS_ERROR_BAD_STATUS -110
#define QUANTIS_ERROR_OTHER -199
#define QUANTIS_MAX_READ_SIZE (16 * 1024 * 1024)

typedef struct QuantisDeviceHandle {
    int type;
    unsigned int number;
    uint64_t rng;
} QuantisDeviceHandle;

/* Faults per device type (1 = PCI, 2 = USB); the stand-in has one device of each type. */
static int fault_unplugged[3], fault_short_read[3], fault_ais31[3], fault_module[3];

static int valid(int type, unsigned int number) {
    if (type != 1 && type != 2) return QUANTIS_ERROR_INVALID_PARAMETER;
    if (number != 0) return QUANTIS_ERROR_INVALID_DEVICE_NUMBER;
    if (HOTARU_GET(fault_unplugged[type])) return QUANTIS_ERROR_NO_DEVICE;
    return QUANTIS_SUCCESS;
}

/* device = device type (1 PCI, 2 USB). */
HOTARU_EXPORT int hotaru_standin_inject(int type, int fault, int arg) {
    if (type != 1 && type != 2) return QUANTIS_ERROR_INVALID_PARAMETER;
    switch (fault) {
    case HOTARU_FAULT_CLEAR:
        HOTARU_SET(fault_unplugged[type], 0);
        HOTARU_SET(fault_short_read[type], 0);
        HOTARU_SET(fault_ais31[type], 0);
        HOTARU_SET(fault_module[type], 0);
        return 0;
    case HOTARU_FAULT_UNPLUGGED: HOTARU_SET(fault_unplugged[type], 1); return 0;
    case HOTARU_FAULT_SHORT_READ: HOTARU_SET(fault_short_read[type], arg > 0 ? arg : 1); return 0;
    case HOTARU_FAULT_AIS31_REQUEST: HOTARU_SET(fault_ais31[type], 1); return 0;
    case HOTARU_FAULT_MODULE_FAILED: HOTARU_SET(fault_module[type], 1); return 0;
    default: return QUANTIS_ERROR_INVALID_PARAMETER;
    }
}

HOTARU_EXPORT int QuantisCount(int deviceType) {
    if (deviceType != 1 && deviceType != 2) return 0;
    return HOTARU_GET(fault_unplugged[deviceType]) ? 0 : 1;
}

HOTARU_EXPORT int QuantisGetModulesMask(int deviceType, unsigned int deviceNumber) {
    int rc = valid(deviceType, deviceNumber);
    if (rc) return rc;
    return deviceType == 1 ? 0xF : 0x1;
}

HOTARU_EXPORT int QuantisGetModulesStatus(int deviceType, unsigned int deviceNumber) {
    int rc = valid(deviceType, deviceNumber);
    if (rc) return rc;
    int mask = deviceType == 1 ? 0xF : 0x1;
    return HOTARU_GET(fault_module[deviceType]) ? (mask & ~0x1) : mask;
}

HOTARU_EXPORT int QuantisGetModulesDataRate(int deviceType, unsigned int deviceNumber) {
    int rc = valid(deviceType, deviceNumber);
    if (rc) return rc;
    return deviceType == 1 ? 16000000 : 4000000;
}

HOTARU_EXPORT const char *QuantisGetSerialNumber(int deviceType, unsigned int deviceNumber) {
    if (valid(deviceType, deviceNumber)) return "";
    return deviceType == 1 ? "STANDIN-PCI-0" : "STANDIN-USB-0";
}

HOTARU_EXPORT int QuantisGetAis31StartupTestsRequestFlag(int deviceType, unsigned int deviceNumber) {
    int rc = valid(deviceType, deviceNumber);
    if (rc) return rc;
    return HOTARU_GET(fault_ais31[deviceType]);
}

HOTARU_EXPORT int QuantisClearAis31StartupTestsRequestFlag(int deviceType, unsigned int deviceNumber) {
    int rc = valid(deviceType, deviceNumber);
    if (rc) return rc;
    HOTARU_SET(fault_ais31[deviceType], 0);
    return QUANTIS_SUCCESS;
}

HOTARU_EXPORT const char *QuantisStrError(int errorNumber) {
    switch (errorNumber) {
    case QUANTIS_SUCCESS: return "no error";
    case QUANTIS_ERROR_NO_DRIVER: return "no driver";
    case QUANTIS_ERROR_INVALID_DEVICE_NUMBER: return "invalid device number";
    case QUANTIS_ERROR_INVALID_READ_SIZE: return "invalid read size";
    case QUANTIS_ERROR_INVALID_PARAMETER: return "invalid parameter";
    case QUANTIS_ERROR_NO_MEMORY: return "insufficient memory";
    case QUANTIS_ERROR_NO_MODULE: return "no module";
    case QUANTIS_ERROR_IO: return "input/output error";
    case QUANTIS_ERROR_NO_DEVICE: return "no such device (unplugged?)";
    case QUANTIS_ERROR_OPERATION_NOT_SUPPORTED: return "operation not supported";
    case QUANTIS_ERROR_BAD_STATUS: return "bad module status";
    default: return "undefined error";
    }
}

HOTARU_EXPORT int QuantisOpen(int deviceType, unsigned int deviceNumber, QuantisDeviceHandle **deviceHandle) {
    int rc = valid(deviceType, deviceNumber);
    if (rc) return rc;
    QuantisDeviceHandle *h = malloc(sizeof *h);
    if (!h) return QUANTIS_ERROR_NO_MEMORY;
    h->type = deviceType;
    h->number = deviceNumber;
    h->rng = 0x51A7150ULL + (uint64_t)deviceType;
    *deviceHandle = h;
    return QUANTIS_SUCCESS;
}

HOTARU_EXPORT void QuantisClose(QuantisDeviceHandle *deviceHandle) { free(deviceHandle); }

HOTARU_EXPORT int QuantisReadHandled(QuantisDeviceHandle *h, void *buffer, size_t size) {
    if (!h) return QUANTIS_ERROR_INVALID_PARAMETER;
    int rc = valid(h->type, h->number);
    if (rc) return rc;
    if (size > QUANTIS_MAX_READ_SIZE) return QUANTIS_ERROR_INVALID_READ_SIZE;
    if (HOTARU_GET(fault_module[h->type])) return QUANTIS_ERROR_BAD_STATUS;
    int short_read = HOTARU_TAKE(fault_short_read[h->type]);
    if (short_read && (size_t)short_read < size) size = (size_t)short_read;
    unsigned char *out = buffer;
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t v = hotaru_next(&h->rng);
        memcpy(out + i, &v, 8);
    }
    if (i < size) {
        uint64_t v = hotaru_next(&h->rng);
        memcpy(out + i, &v, size - i);
    }
    return (int)size;
}

HOTARU_EXPORT int QuantisRead(int deviceType, unsigned int deviceNumber, void *buffer, size_t size) {
    QuantisDeviceHandle h;
    int rc = valid(deviceType, deviceNumber);
    if (rc) return rc;
    h.type = deviceType;
    h.number = deviceNumber;
    h.rng = 0x51A7150ULL + (uint64_t)deviceType;
    return QuantisReadHandled(&h, buffer, size);
}
