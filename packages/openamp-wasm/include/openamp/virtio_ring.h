/*
 * v8r OpenAMP subset: split virtqueue ring layout (virtio 1.x section 2.7,
 * legacy alignment). In v8r the ring lives in shared memory reached only
 * through a metal_io_region, so `struct vring` holds region offsets
 * instead of pointers.
 */
#ifndef OPENAMP_VIRTIO_RING_H
#define OPENAMP_VIRTIO_RING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_USED_F_NO_NOTIFY 1
#define VRING_AVAIL_F_NO_INTERRUPT 1

/* Byte layout of the ring parts (all little-endian, packed). */
#define VRING_DESC_SIZE 16u
#define VRING_DESC_ADDR 0u
#define VRING_DESC_LEN 8u
#define VRING_DESC_FLAGS 12u
#define VRING_DESC_NEXT 14u
#define VRING_AVAIL_FLAGS 0u
#define VRING_AVAIL_IDX 2u
#define VRING_AVAIL_RING 4u
#define VRING_USED_FLAGS 0u
#define VRING_USED_IDX 2u
#define VRING_USED_RING 4u
#define VRING_USED_ELEM_SIZE 8u

/** A split ring placed in a region: offsets of its three parts. */
struct vring {
	unsigned int num;
	unsigned long desc;  /* region offset of the descriptor table */
	unsigned long avail; /* region offset of the avail ring */
	unsigned long used;  /* region offset of the used ring */
};

/** Bytes a ring of num entries takes with the used ring aligned to align. */
static inline unsigned int vring_size(unsigned int num, unsigned long align)
{
	unsigned long size = VRING_DESC_SIZE * num + 4u + 2u * num + 2u;
	size = (size + align - 1) & ~(align - 1);
	size += 4u + VRING_USED_ELEM_SIZE * num + 2u;
	return (unsigned int)size;
}

/** Place a ring of num entries at region offset base. */
static inline void vring_init(struct vring *vr, unsigned int num, unsigned long base, unsigned long align)
{
	vr->num = num;
	vr->desc = base;
	vr->avail = base + VRING_DESC_SIZE * num;
	vr->used = (vr->avail + 4u + 2u * num + 2u + align - 1) & ~(align - 1);
}

#ifdef __cplusplus
}
#endif

#endif
