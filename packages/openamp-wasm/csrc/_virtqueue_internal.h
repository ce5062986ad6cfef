/* v8r: virtqueue internals the RPMsg layer and the glue use. */
#ifndef V8R_VIRTQUEUE_INTERNAL_H
#define V8R_VIRTQUEUE_INTERNAL_H

#include <openamp/virtqueue.h>

/** Device side: refuse buffers that overlap [off, off + len) of the ring region (up to 4 ranges). */
void virtqueue_v8r_keep(struct virtqueue *vq, unsigned long off, unsigned long len);
/** Bytes of the ring region the vring occupies, from vq_v8r_desc. */
unsigned long virtqueue_v8r_ring_bytes(struct virtqueue *vq);
/** Forget all private state (peer reset), keeping the ring placement. */
void virtqueue_v8r_reset(struct virtqueue *vq);
/** The used index in shared memory. */
static inline uint16_t virtqueue_v8r_used_idx(struct virtqueue *vq)
{
	return metal_io_read16(vq->vq_v8r_ring_io, vq->vq_v8r_used + 2u);
}
/** The avail index in shared memory. */
static inline uint16_t virtqueue_v8r_avail_idx(struct virtqueue *vq)
{
	return metal_io_read16(vq->vq_v8r_ring_io, vq->vq_v8r_avail + 2u);
}

#endif
