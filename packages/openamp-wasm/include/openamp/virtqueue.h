/*
 * v8r OpenAMP: virtqueues over a split ring, with OpenAMP's structures and
 * functions. Every index, descriptor field and ring slot is read through the
 * ring's I/O region and validated before use; the driver keeps its free list
 * and buffer lengths privately and never trusts what the device writes back.
 * Bad entries are dropped and counted (vq_v8r_bad_entries).
 */
#ifndef VIRTQUEUE_H_
#define VIRTQUEUE_H_

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#if defined __cplusplus
extern "C" {
#endif

#include <metal/alloc.h>
#include <metal/cache.h>
#include <metal/io.h>
#include <openamp/virtio_ring.h>

#define VQ_ERROR_BASE -3000
#define ERROR_VRING_FULL (VQ_ERROR_BASE - 1)
#define ERROR_INVLD_DESC_IDX (VQ_ERROR_BASE - 2)
#define ERROR_EMPTY_RING (VQ_ERROR_BASE - 3)
#define ERROR_NO_MEM (VQ_ERROR_BASE - 4)
#define ERROR_VRING_MAX_DESC (VQ_ERROR_BASE - 5)
#define ERROR_VRING_ALIGN (VQ_ERROR_BASE - 6)
#define ERROR_VRING_NO_BUFF (VQ_ERROR_BASE - 7)
#define ERROR_VQUEUE_INVLD_PARAM (VQ_ERROR_BASE - 8)

#define VQUEUE_SUCCESS 0

/* End of a descriptor chain: never a valid index (rings have at most 2^15 entries). */
#define VQ_RING_DESC_CHAIN_END 32768

#define VIRTIO_RING_F_INDIRECT_DESC (1 << 28)
#define VIRTIO_RING_F_EVENT_IDX (1 << 29)

/* Cache maintenance of rings and buffers: no-ops on v8r's coherent shared memory. */
#define CACHE_FLUSH(x, s) metal_cache_flush(x, s)
#define CACHE_INVALIDATE(x, s) metal_cache_invalidate(x, s)
#if defined(VIRTIO_CACHED_VRINGS) || defined(VIRTIO_USE_DCACHE)
#define VRING_FLUSH(x, s) CACHE_FLUSH(x, s)
#define VRING_INVALIDATE(x, s) CACHE_INVALIDATE(x, s)
#else
#define VRING_FLUSH(x, s) do { } while (0)
#define VRING_INVALIDATE(x, s) do { } while (0)
#endif

/** A buffer handed to virtqueue_add_buffer(): its address (in the queue's shm_io) and length. */
struct virtqueue_buf {
	void *buf;
	int len;
};

/** Private state of one descriptor (never stored in shared memory). */
struct vq_desc_extra {
	void *cookie;
	uint16_t ndescs;
	/* v8r */
	uint16_t v8r_next;   /* driver: next free descriptor */
	uint8_t v8r_in_use;  /* driver: posted; device: taken from avail, not yet used */
	uint8_t v8r_pad[3];
	uint32_t v8r_len;    /* driver: length posted; device: descriptor length read */
	/*
	 * driver: the descriptor to write with the next publish (runs of them in
	 * one block); device: the descriptor read ahead with its avail entry
	 */
	uint64_t v8r_desc_addr;
	uint32_t v8r_desc_len;
	uint16_t v8r_desc_flags;
	uint8_t v8r_desc_dirty; /* driver: to write */
	uint8_t v8r_desc_ahead; /* device: read ahead, not used yet */
	/*
	 * Ring-slot cache, indexed by ring slot (not by descriptor): the peer's
	 * entries read ahead in blocks, and this side's entries staged for one
	 * publish. Driver: used entries read ahead, avail heads staged; device:
	 * avail heads read ahead, used entries staged.
	 */
	uint32_t v8r_used_id;
	uint32_t v8r_used_len;
	uint16_t v8r_avail_head;
	uint16_t v8r_pad3;
};

struct virtqueue {
	struct virtio_device *vq_dev;
	const char *vq_name;
	uint16_t vq_queue_index;
	uint16_t vq_nentries;
	void (*callback)(struct virtqueue *vq);
	void *priv;
	void (*notify)(struct virtqueue *vq);
	struct vring vq_ring;
	uint16_t vq_free_cnt;
	uint16_t vq_queued_cnt;
	struct metal_io_region *shm_io; /* region of the buffers */
	uint16_t vq_desc_head_idx;      /* driver: head of the free list */
	uint16_t vq_used_cons_idx;      /* driver: next used entry to take; device: next used index */
	uint16_t vq_available_idx;      /* driver: next avail index; device: next avail entry to take */
	/* v8r */
	uint16_t vq_v8r_owned;                 /* allocated by virtio_create_virtqueues() */
	struct metal_io_region *vq_v8r_ring_io; /* region of the ring */
	unsigned long vq_v8r_desc;             /* ring part offsets in vq_v8r_ring_io */
	unsigned long vq_v8r_avail;
	unsigned long vq_v8r_used;
	uint32_t vq_v8r_bad_entries;           /* malformed entries dropped */
	uint32_t vq_v8r_kicks;                 /* notifications sent */
	uint8_t vq_v8r_need_write;             /* device: buffers must be device-writable */
	uint8_t vq_v8r_nkeep;                  /* device: ranges no buffer may overlap ... */
	unsigned long vq_v8r_keep[4][2];       /* ... {offset, length}: rings, status, resource table */
	uint16_t vq_v8r_peer_idx;              /* the peer's index as last read (driver: used.idx; device: avail.idx) */
	uint16_t vq_v8r_ahead;                 /* the peer's entries up to here are in the slot cache */
	uint16_t vq_v8r_published;             /* own index as last published (driver: avail.idx; device: used.idx) */
	uint16_t vq_v8r_own_flags;             /* own flags word as last written */
	uint16_t vq_v8r_peer_flags;            /* the peer's flags word as read right after the last publish ... */
	uint8_t vq_v8r_peer_flags_fresh;       /* ... and whether no kick used it yet */
	uint8_t vq_v8r_kick_pending;           /* a kick asked for while publishing was deferred */
	uint16_t vq_v8r_defer;                 /* > 0: entries are staged, published by virtqueue_v8r_flush() */
	uint16_t vq_v8r_lost;                  /* device: own used index changed under us (the driver re-initialised) */
	struct vq_desc_extra vq_descx[0];
};

/** Where a ring lives: its address, alignment and number of entries. */
struct vring_alloc_info {
	void *vaddr;
	uint32_t align;
	uint16_t num_descs;
	uint16_t pad;
};

typedef void (*vq_callback)(struct virtqueue *);
typedef void (*vq_notify)(struct virtqueue *);

/**
 * Set up vq over the ring described by `ring` (the ring's region is vq->shm_io,
 * or the vring's io when virtio_create_virtqueues() calls it). Does not touch
 * shared memory.
 */
int virtqueue_create(struct virtio_device *device, unsigned short id, const char *name, struct vring_alloc_info *ring,
		     void (*callback)(struct virtqueue *vq), void (*notify)(struct virtqueue *vq),
		     struct virtqueue *vq);

static inline void virtqueue_set_shmem_io(struct virtqueue *vq, struct metal_io_region *io)
{
	vq->shm_io = io;
}

/** Driver: post one buffer (exactly one of readable and writable is 1: RPMsg buffers are single descriptors). */
int virtqueue_add_buffer(struct virtqueue *vq, struct virtqueue_buf *buf_list, int readable, int writable,
			 void *cookie);
/** Driver: take the next buffer the device returned; *len is the device's used.len (untrusted). */
void *virtqueue_get_buffer(struct virtqueue *vq, uint32_t *len, uint16_t *idx);
/** Device: take the next available buffer (validated); *len is its descriptor length. */
void *virtqueue_get_available_buffer(struct virtqueue *vq, uint16_t *avail_idx, uint32_t *len);
/** Device: look at the next available buffer without taking it. */
void *virtqueue_get_first_avail_buffer(struct virtqueue *vq, uint16_t *avail_idx, uint32_t *len);
/** Device: return a taken buffer on the used ring with len bytes written. */
int virtqueue_add_consumed_buffer(struct virtqueue *vq, uint16_t head_idx, uint32_t len);

void virtqueue_disable_cb(struct virtqueue *vq);
int virtqueue_enable_cb(struct virtqueue *vq);
/** Notify the peer unless it asked not to be (VRING_USED_F_NO_NOTIFY / VRING_AVAIL_F_NO_INTERRUPT). */
void virtqueue_kick(struct virtqueue *vq);

static inline struct virtqueue *virtqueue_allocate(unsigned int num_desc_extra)
{
	uint32_t size = (uint32_t)(sizeof(struct virtqueue) + num_desc_extra * sizeof(struct vq_desc_extra));
	struct virtqueue *vq = (struct virtqueue *)metal_allocate_memory(size);
	if (vq)
		memset(vq, 0, size);
	return vq;
}

void virtqueue_free(struct virtqueue *vq);
/** Log the queue's indices and counters (metal_log, DEBUG). */
void virtqueue_dump(struct virtqueue *vq);
/** Run the queue's callback (what a notification from the peer does). */
void virtqueue_notification(struct virtqueue *vq);
/** Device: descriptor length of the next available buffer, 0 if none. */
uint32_t virtqueue_get_desc_size(struct virtqueue *vq);
/** Length of buffer idx (driver: as posted; device: as read when taken). */
uint32_t virtqueue_get_buffer_length(struct virtqueue *vq, uint16_t idx);
/** Address of buffer idx (driver: as posted; device: as read when taken), NULL if none. */
void *virtqueue_get_buffer_addr(struct virtqueue *vq, uint16_t idx);

static inline int virtqueue_empty(struct virtqueue *vq)
{
	return vq->vq_nentries == vq->vq_free_cnt;
}

static inline int virtqueue_full(struct virtqueue *vq)
{
	return vq->vq_free_cnt == 0;
}

#if defined __cplusplus
}
#endif

#endif /* VIRTQUEUE_H_ */
