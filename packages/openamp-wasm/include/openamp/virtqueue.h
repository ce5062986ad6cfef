/*
 * v8r OpenAMP subset: virtqueues over a split ring in shared memory.
 *
 * Every index, descriptor field and ring slot is read through the ring's
 * metal_io_region and validated before use; bad entries are dropped and
 * counted in `vq_bad_entries`.
 */
#ifndef OPENAMP_VIRTQUEUE_H
#define OPENAMP_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include <metal/io.h>
#include <openamp/virtio_ring.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VQ_ERROR_BASE -3000
#define ERROR_VRING_FULL (VQ_ERROR_BASE - 1)
#define ERROR_INVLD_DESC_IDX (VQ_ERROR_BASE - 2)
#define ERROR_EMPTY_RING (VQ_ERROR_BASE - 3)
#define ERROR_NO_MEM (VQ_ERROR_BASE - 4)
#define ERROR_VRING_MAX_DESC (VQ_ERROR_BASE - 5)
#define ERROR_VRING_ALIGN (VQ_ERROR_BASE - 6)
#define ERROR_VRING_NO_BUFF (VQ_ERROR_BASE - 7)
#define ERROR_VQUEUE_INVLD_PARAM (VQ_ERROR_BASE - 8)

#define VQ_RING_DESC_CHAIN_END 32768

struct virtio_device;
struct virtqueue;

typedef void (*vq_callback)(struct virtqueue *);
typedef void (*vq_notify)(struct virtqueue *);

/** A buffer handed to virtqueue_add_buffer(): token address and length. */
struct virtqueue_buf {
	void *buf;
	int len;
};

/** Where a ring lives: token address of its base, alignment, entries. */
struct vring_alloc_info {
	void *vaddr;
	uint32_t align;
	uint16_t num_descs;
	uint16_t pad;
};

/** Private per-descriptor bookkeeping (never stored in shared memory). */
struct vq_desc_extra {
	void *cookie;
	uint32_t len;
	uint16_t next;   /* private free list link (driver) */
	uint16_t in_use; /* driver: posted; device: taken from avail, not yet used */
};

struct virtqueue {
	struct virtio_device *vq_dev;
	const char *vq_name;
	uint16_t vq_queue_index;
	uint16_t vq_nentries;
	vq_callback callback;
	void *priv;
	vq_notify notify;
	struct vring vq_ring;
	uint16_t vq_free_cnt;
	uint16_t vq_queued_cnt;
	struct metal_io_region *shm_io;
	uint16_t vq_desc_head_idx;     /* driver: head of the free list */
	uint16_t vq_available_idx;     /* driver: next avail idx; device: next avail entry to take */
	uint16_t vq_used_cons_idx;     /* driver: next used entry to take; device: next used idx */
	uint16_t vq_v8r_owned;     /* allocated by virtio_create_virtqueues() */
	uint32_t vq_bad_entries;       /* v8r: malformed entries dropped */
	uint32_t vq_kicks;             /* v8r: notifications sent */
	uint8_t vq_v8r_need_write;     /* v8r device: buffers must be device-writable (VRING_DESC_F_WRITE) */
	uint8_t vq_v8r_nkeep;          /* v8r device: ranges no buffer may overlap ... */
	unsigned long vq_v8r_keep[4][2]; /* ... {offset, length}: rings, status byte, resource table */
	struct vq_desc_extra vq_descx[];
};

/** v8r, device side: refuse buffers that overlap [off, off + len) (up to 4 ranges). */
void virtqueue_v8r_keep(struct virtqueue *vq, unsigned long off, unsigned long len);
/** v8r: the region range [offset, offset + length) a vring occupies. */
unsigned long virtqueue_v8r_ring_bytes(struct virtqueue *vq);

/** Allocate a virtqueue with room for num descriptors' private state. */
struct virtqueue *virtqueue_allocate(unsigned int num_desc_extra);
void virtqueue_free(struct virtqueue *vq);

int virtqueue_create(struct virtio_device *device, unsigned short id, const char *name,
		     struct vring_alloc_info *ring, void (*callback)(struct virtqueue *vq),
		     void (*notify)(struct virtqueue *vq), struct virtqueue *vq);

/** Driver: post one buffer (readable or writable: exactly one of the two counts is 1). */
int virtqueue_add_buffer(struct virtqueue *vq, struct virtqueue_buf *buf_list, int readable, int writable,
			 void *cookie);
/** Driver: take the next returned buffer; *len is the peer's used.len (untrusted). */
void *virtqueue_get_buffer(struct virtqueue *vq, uint32_t *len, uint16_t *idx);
/** Device: take the next available buffer (validated); *len is the descriptor length. */
void *virtqueue_get_available_buffer(struct virtqueue *vq, uint16_t *avail_idx, uint32_t *len);
/** Device: look at the next available buffer without taking it. */
void *virtqueue_get_first_avail_buffer(struct virtqueue *vq, uint16_t *avail_idx, uint32_t *len);
/** Device: return a buffer taken with virtqueue_get_available_buffer(). */
int virtqueue_add_consumed_buffer(struct virtqueue *vq, uint16_t head_idx, uint32_t len);
/** Device: descriptor length of the next available buffer, 0 if none. */
uint32_t virtqueue_get_desc_size(struct virtqueue *vq);
/** Driver: private length of descriptor idx. */
uint32_t virtqueue_get_buffer_length(struct virtqueue *vq, uint16_t idx);

int virtqueue_enable_cb(struct virtqueue *vq);
void virtqueue_disable_cb(struct virtqueue *vq);
void virtqueue_kick(struct virtqueue *vq);
void virtqueue_notification(struct virtqueue *vq);
void virtqueue_dump(struct virtqueue *vq);
/** v8r: forget all private state (peer reset), keeping the ring placement. */
void virtqueue_v8r_reset(struct virtqueue *vq);

static inline bool virtqueue_full(struct virtqueue *vq) { return vq->vq_free_cnt == 0; }
static inline bool virtqueue_empty(struct virtqueue *vq) { return vq->vq_nentries == vq->vq_free_cnt; }

#ifdef __cplusplus
}
#endif

#endif
