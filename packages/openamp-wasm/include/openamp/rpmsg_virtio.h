/*
 * v8r OpenAMP: RPMsg over virtio, as OpenAMP's rpmsg_virtio.h declares it.
 * Virtqueue 0 is the host's receive queue, 1 its send queue.
 */
#ifndef _RPMSG_VIRTIO_H_
#define _RPMSG_VIRTIO_H_

#include <metal/cache.h>
#include <metal/io.h>
#include <metal/mutex.h>
#include <openamp/rpmsg.h>
#include <openamp/virtio.h>

#if defined __cplusplus
extern "C" {
#endif

#ifndef RPMSG_BUFFER_SIZE
#define RPMSG_BUFFER_SIZE (512)
#endif

#define VIRTIO_RPMSG_F_NS 0 /* name service */

#if defined(VIRTIO_CACHED_BUFFERS) || defined(VIRTIO_USE_DCACHE)
#define BUFFER_FLUSH(x, s) CACHE_FLUSH(x, s)
#define BUFFER_INVALIDATE(x, s) CACHE_INVALIDATE(x, s)
#else
#define BUFFER_FLUSH(x, s) do { } while (0)
#define BUFFER_INVALIDATE(x, s) do { } while (0)
#endif

/** Waits for the peer to return a TX buffer; id is the notify id of the receive vring. */
typedef int (*rpmsg_virtio_notify_wait_cb)(struct rpmsg_device *rdev, uint32_t id);

/** Buffers carved in order from a shared-memory area (addresses in the shared-memory region). */
struct rpmsg_virtio_shm_pool {
	void *base;
	size_t avail;
	size_t size;
};

/**
 * Buffer sizes per direction (host side). With split_shpool, the shpool
 * argument is an array of two pools: the first gives the receive buffers, the
 * second the transmit buffers (what upstream's code does).
 */
struct rpmsg_virtio_config {
	uint32_t h2r_buf_size;
	uint32_t r2h_buf_size;
	bool split_shpool;
};

/** v8r: counters of one device. */
struct rpmsg_virtio_v8r_stats {
	uint32_t tx_msgs;
	uint32_t tx_bytes;
	uint32_t rx_msgs;
	uint32_t rx_bytes;
	uint32_t dropped_malformed;
	uint32_t dropped_no_ept;
};

/** v8r: private state of one TX buffer (host: a carved buffer; remote: a send-queue descriptor). */
struct rpmsg_virtio_v8r_txbuf {
	struct metal_list node; /* in reclaimer while released unsent */
	unsigned long off;      /* region offset of the buffer (its header) */
	uint8_t state;
	uint8_t pad[3];
};

struct rpmsg_virtio_device {
	struct rpmsg_device rdev;
	struct rpmsg_virtio_config config;
	struct virtio_device *vdev;
	struct virtqueue *rvq;
	struct virtqueue *svq;
	struct metal_io_region *shbuf_io;
	struct rpmsg_virtio_shm_pool *shpool; /* the pool TX buffers come from */
	struct metal_list reclaimer;          /* TX buffers released unsent, reused first */
	rpmsg_virtio_notify_wait_cb notify_wait_cb;
	/* v8r */
	struct rpmsg_virtio_v8r_txbuf *v8r_tx; /* one per send-queue descriptor */
	unsigned int v8r_tx_carved;            /* host: TX buffers carved from the pool so far */
	unsigned long *v8r_rx_off;             /* host: offset of each receive buffer */
	uint16_t *v8r_rx_held;                 /* per receive buffer: holds (callback + rpmsg_hold_rx_buffer) */
	struct rpmsg_virtio_v8r_stats v8r_stats;
};

#define RPMSG_REMOTE VIRTIO_DEV_DEVICE
#define RPMSG_HOST VIRTIO_DEV_DRIVER

/**
 * Set the callback a waiting send calls while no TX buffer is free. It returns
 * RPMSG_SUCCESS to try again at once, RPMSG_EOPNOTSUPP to sleep 1 ms and try
 * again (up to the 15 s limit), anything else to stop waiting.
 */
static inline void rpmsg_virtio_set_wait_cb(struct rpmsg_virtio_device *rvdev,
					    rpmsg_virtio_notify_wait_cb notify_wait_cb)
{
	rvdev->notify_wait_cb = notify_wait_cb;
}

static inline unsigned int rpmsg_virtio_get_role(struct rpmsg_virtio_device *rvdev)
{
	return rvdev->vdev->role;
}

__deprecated static inline void rpmsg_virtio_set_status(struct rpmsg_virtio_device *rvdev, uint8_t status)
{
	rvdev->vdev->func->set_status(rvdev->vdev, status);
}

__deprecated static inline uint8_t rpmsg_virtio_get_status(struct rpmsg_virtio_device *rvdev)
{
	return rvdev->vdev->func->get_status(rvdev->vdev);
}

__deprecated static inline uint32_t rpmsg_virtio_get_features(struct rpmsg_virtio_device *rvdev)
{
	return rvdev->vdev->func->get_features(rvdev->vdev);
}

__deprecated static inline void rpmsg_virtio_read_config(struct rpmsg_virtio_device *rvdev, uint32_t offset,
							 void *dst, int length)
{
	rvdev->vdev->func->read_config(rvdev->vdev, offset, dst, length);
}

__deprecated static inline void rpmsg_virtio_write_config(struct rpmsg_virtio_device *rvdev, uint32_t offset,
							  void *src, int length)
{
	rvdev->vdev->func->write_config(rvdev->vdev, offset, src, length);
}

__deprecated static inline int rpmsg_virtio_create_virtqueues(struct rpmsg_virtio_device *rvdev, int flags,
							      unsigned int nvqs, const char *names[],
							      vq_callback *callbacks)
{
	return virtio_create_virtqueues(rvdev->vdev, (unsigned int)flags, nvqs, names, callbacks, NULL);
}

__deprecated static inline void rpmsg_virtio_delete_virtqueues(struct rpmsg_virtio_device *rvdev)
{
	virtio_delete_virtqueues(rvdev->vdev);
}

/** Payload size of TX buffers (remote: of the next one the host made available), or RPMSG_ERR_NO_BUFF. */
int rpmsg_virtio_get_tx_buffer_size(struct rpmsg_device *rdev);
/** Payload size of RX buffers (remote: of the next pending message), or RPMSG_ERR_NO_BUFF. */
int rpmsg_virtio_get_rx_buffer_size(struct rpmsg_device *rdev);

static inline int rpmsg_virtio_get_buffer_size(struct rpmsg_device *rdev)
{
	return rpmsg_virtio_get_tx_buffer_size(rdev);
}

/**
 * Host: create the queues, post the receive buffers and set DRIVER_OK. Remote:
 * wait until the host has set DRIVER_OK, then create the queues.
 */
int rpmsg_init_vdev(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev, rpmsg_ns_bind_cb ns_bind_cb,
		    struct metal_io_region *shm_io, struct rpmsg_virtio_shm_pool *shpool);
int rpmsg_init_vdev_with_config(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
				rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
				struct rpmsg_virtio_shm_pool *shpool, const struct rpmsg_virtio_config *config);
/** Destroy every endpoint (rpmsg_destroy_ept) and the queues. */
void rpmsg_deinit_vdev(struct rpmsg_virtio_device *rvdev);
void rpmsg_virtio_init_shm_pool(struct rpmsg_virtio_shm_pool *shpool, void *shbuf, size_t size);

static inline struct rpmsg_device *rpmsg_virtio_get_rpmsg_device(struct rpmsg_virtio_device *rvdev)
{
	if (!rvdev)
		return NULL;
	return &rvdev->rdev;
}

/** Carve size bytes from the pool, NULL when it is used up. Weak: an application may provide its own. */
metal_weak void *rpmsg_virtio_shm_pool_get_buffer(struct rpmsg_virtio_shm_pool *shpool, size_t size);

#if defined __cplusplus
}
#endif

#endif /* _RPMSG_VIRTIO_H_ */
