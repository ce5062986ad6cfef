/* v8r: virtqueue internals the RPMsg layer and the glue use. */
#ifndef V8R_VIRTQUEUE_INTERNAL_H
#define V8R_VIRTQUEUE_INTERNAL_H

#include <openamp/virtio.h>
#include <openamp/virtqueue.h>

/* Byte offsets in a descriptor and in the avail/used ring parts. */
#define V8R_DESC_ADDR 0u
#define V8R_DESC_LEN 8u
#define V8R_DESC_FLAGS 12u
#define V8R_DESC_NEXT 14u
#define V8R_RING_FLAGS 0u
#define V8R_RING_IDX 2u
#define V8R_RING_ENTRIES 4u

static inline int virtqueue_v8r_is_driver(struct virtqueue *vq)
{
	return vq->vq_dev && VIRTIO_ROLE_IS_DRIVER(vq->vq_dev);
}

static inline uint16_t virtqueue_v8r_slot(struct virtqueue *vq, uint16_t idx)
{
	return (uint16_t)(idx & (vq->vq_nentries - 1u));
}

/* This side's cursor in the peer's ring: the next used entry (driver) or avail entry (device) to take. */
static inline uint16_t *virtqueue_v8r_cursor(struct virtqueue *vq)
{
	return virtqueue_v8r_is_driver(vq) ? &vq->vq_used_cons_idx : &vq->vq_available_idx;
}

/** Device side: refuse buffers that overlap [off, off + len) of the ring region (up to 4 ranges). */
void virtqueue_v8r_keep(struct virtqueue *vq, unsigned long off, unsigned long len);
/** Bytes of the ring region the vring occupies, from vq_v8r_desc. */
unsigned long virtqueue_v8r_ring_bytes(struct virtqueue *vq);
/** Forget all private state (peer reset), keeping the ring placement. */
void virtqueue_v8r_reset(struct virtqueue *vq);
/** Device: resume at the used index shared memory shows (a host init leaves 0; a restarted remote resumes). */
void virtqueue_v8r_resume(struct virtqueue *vq);

/*
 * Ring access with few crossings (virtqueue_ring.c). The peer's entries are
 * read ahead into the slot cache; this side's are staged there and published.
 */

/** Make the peer's entry at this side's cursor readable from the slot cache: 1 when it is, 0 when none is pending. */
int virtqueue_v8r_peer_next(struct virtqueue *vq);
/**
 * (virtqueue_ahead.c) The buffers of the peer's entries read ahead and not taken yet, in ring order: their offsets in shm_io (at most
 * max), only those naming a buffer of at least min bytes inside it (a device: per the descriptor read ahead; a
 * driver: per its own record of the buffer the used entry names). Nothing is read from shared memory.
 */
unsigned int virtqueue_v8r_ahead_bufs(struct virtqueue *vq, uint32_t *offs, unsigned int max, uint32_t min);
/** Stage this side's next entry (driver: avail head id; device: used {id, len}); published now unless deferred. */
int virtqueue_v8r_stage(struct virtqueue *vq, uint32_t id, uint32_t len);
/** Publish the staged entries with one index store; 0, or an error when the used index changed under a device. */
int virtqueue_v8r_flush(struct virtqueue *vq);
/** Defer publishing (nested calls count) until the matching virtqueue_v8r_end_batch(). */
void virtqueue_v8r_begin_batch(struct virtqueue *vq);
/** End a batch: publish what was staged and send the kick asked for meanwhile. */
void virtqueue_v8r_end_batch(struct virtqueue *vq);
/** Driver: descriptor head's new contents, written with the publish that makes it available. */
void virtqueue_v8r_set_desc(struct virtqueue *vq, uint16_t head, uint64_t addr, uint32_t len, uint16_t flags);
/** Device: read descriptor head with one block access. */
void virtqueue_v8r_read_desc(struct virtqueue *vq, uint16_t head, uint64_t *addr, uint32_t *len, uint16_t *flags);
/**
 * Write this side's flags word; with recheck, then read the peer's index in the same crossing (sequentially
 * consistent) and return the entries pending, which virtqueue_v8r_peer_next() then reads without reading the
 * index again.
 */
unsigned int virtqueue_v8r_set_flags(struct virtqueue *vq, uint16_t flags, int recheck);
/** The used index in shared memory. */
static inline uint16_t virtqueue_v8r_used_idx(struct virtqueue *vq)
{
	return metal_io_read16(vq->vq_v8r_ring_io, vq->vq_v8r_used + V8R_RING_IDX);
}
/** The avail index in shared memory. */
static inline uint16_t virtqueue_v8r_avail_idx(struct virtqueue *vq)
{
	return metal_io_read16(vq->vq_v8r_ring_io, vq->vq_v8r_avail + V8R_RING_IDX);
}

#endif
