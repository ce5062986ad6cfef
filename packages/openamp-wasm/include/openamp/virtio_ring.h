/*
 * v8r OpenAMP: split virtqueue ring layout (virtio 1.x section 2.7, legacy
 * alignment), with OpenAMP's structures and helpers. In v8r the library
 * reaches a ring in shared memory only through its I/O region; the pointers
 * in `struct vring` are addresses in that region (a mirror for v8r shared
 * memory), from which the library computes offsets.
 */
#ifndef VIRTIO_RING_H
#define VIRTIO_RING_H

#include <stdint.h>
#include <metal/compiler.h>

#if defined __cplusplus
extern "C" {
#endif

#define VRING_DESC_F_NEXT 1     /* the buffer continues in desc.next */
#define VRING_DESC_F_WRITE 2    /* the device writes the buffer */
#define VRING_DESC_F_INDIRECT 4 /* the buffer holds a table of descriptors */

#define VRING_USED_F_NO_NOTIFY 1     /* device to driver: do not kick me when adding buffers */
#define VRING_AVAIL_F_NO_INTERRUPT 1 /* driver to device: do not interrupt me when consuming */

METAL_PACKED_BEGIN
struct vring_desc {
	uint64_t addr; /* physical address */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
} METAL_PACKED_END;

METAL_PACKED_BEGIN
struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[0];
} METAL_PACKED_END;

METAL_PACKED_BEGIN
struct vring_used_elem {
	union {
		uint16_t event;
		uint32_t id; /* head of the used descriptor chain */
	};
	uint32_t len; /* bytes written into the chain */
} METAL_PACKED_END;

METAL_PACKED_BEGIN
struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[0];
} METAL_PACKED_END;

/** A split ring: num descriptors (a power of two), then the avail ring, then (aligned) the used ring. */
struct vring {
	unsigned int num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
};

/* EVENT_IDX fields at the end of each ring (never negotiated by RPMsg). */
#define vring_used_event(vr) ((vr)->avail->ring[(vr)->num])
#define vring_avail_event(vr) ((vr)->used->ring[(vr)->num].event)

/** Bytes a ring of num entries takes with its used ring aligned to align. */
static inline int vring_size(unsigned int num, unsigned long align)
{
	unsigned long size = num * sizeof(struct vring_desc) + sizeof(struct vring_avail) + num * sizeof(uint16_t) +
			     sizeof(uint16_t);
	size = (size + align - 1) & ~(align - 1);
	size += sizeof(struct vring_used) + num * sizeof(struct vring_used_elem) + sizeof(uint16_t);
	return (int)size;
}

/** Place a ring of num entries at p; the used ring's address is aligned to align, as upstream does. */
static inline void vring_init(struct vring *vr, unsigned int num, uint8_t *p, unsigned long align)
{
	uintptr_t avail_end = (uintptr_t)p + num * sizeof(struct vring_desc) + sizeof(struct vring_avail) +
			      num * sizeof(uint16_t) + sizeof(uint16_t);
	vr->num = num;
	vr->desc = (struct vring_desc *)(void *)p;
	vr->avail = (struct vring_avail *)(void *)(p + num * sizeof(struct vring_desc));
	vr->used = (struct vring_used *)((avail_end + align - 1) & ~(uintptr_t)(align - 1));
}

/** EVENT_IDX: whether moving an index from old to new_idx passes event_idx. */
static inline int vring_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old);
}

#if defined __cplusplus
}
#endif

#endif /* VIRTIO_RING_H */
