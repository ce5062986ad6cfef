/* v8r OpenAMP subset: remoteproc resource table layout (packed, little-endian). */
#ifndef OPENAMP_REMOTEPROC_H
#define OPENAMP_REMOTEPROC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Notification id that stands for every vring of a device. */
#define RSC_NOTIFY_ID_ANY 0xFFFFFFFFU

#define RSC_CARVEOUT 0
#define RSC_DEVMEM 1
#define RSC_TRACE 2
#define RSC_VDEV 3

#define METAL_PACKED_BEGIN
#define METAL_PACKED_END __attribute__((__packed__))

METAL_PACKED_BEGIN
struct resource_table {
	uint32_t ver;
	uint32_t num;
	uint32_t reserved[2];
	uint32_t offset[];
} METAL_PACKED_END;

METAL_PACKED_BEGIN
struct fw_rsc_vdev_vring {
	uint32_t da;
	uint32_t align;
	uint32_t num;
	uint32_t notifyid;
	uint32_t reserved;
} METAL_PACKED_END;

METAL_PACKED_BEGIN
struct fw_rsc_vdev {
	uint32_t type;
	uint32_t id;
	uint32_t notifyid;
	uint32_t dfeatures;
	uint32_t gfeatures;
	uint32_t config_len;
	uint8_t status;
	uint8_t num_of_vrings;
	uint8_t reserved[2];
	struct fw_rsc_vdev_vring vring[];
} METAL_PACKED_END;

/* Byte offsets inside struct fw_rsc_vdev, used with the I/O region. */
#define RSC_VDEV_TYPE 0u
#define RSC_VDEV_ID 4u
#define RSC_VDEV_NOTIFYID 8u
#define RSC_VDEV_DFEATURES 12u
#define RSC_VDEV_GFEATURES 16u
#define RSC_VDEV_CONFIG_LEN 20u
#define RSC_VDEV_STATUS 24u
#define RSC_VDEV_NUM_VRINGS 25u
#define RSC_VDEV_VRING0 28u
#define RSC_VRING_SIZE 20u

#ifdef __cplusplus
}
#endif

#endif
