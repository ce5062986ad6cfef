/*
 * v8r OpenAMP subset: RPMsg over virtio.
 * Virtqueue 0 is the host's receive queue, 1 its send queue.
 */
#ifndef OPENAMP_RPMSG_VIRTIO_H
#define OPENAMP_RPMSG_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>
#include <metal/io.h>
#include <openamp/rpmsg.h>
#include <openamp/virtio.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef RPMSG_BUFFER_SIZE
#define RPMSG_BUFFER_SIZE 512
#endif

#define VIRTIO_RPMSG_F_NS 0
#define RPMSG_HOST VIRTIO_DEV_DRIVER
#define RPMSG_REMOTE VIRTIO_DEV_DEVICE

/** Polling parameters of a blocking send: 15 s in 1 ms steps, as upstream. */
#define RPMSG_TICK_COUNT 15000000
#define RPMSG_TICKS_PER_INTERVAL 1000

/** A pool of buffers carved in order from a shared-memory area. */
struct rpmsg_virtio_shm_pool {
	void *base;
	size_t avail;
	size_t size;
};

/** Buffer sizes per direction; split_shpool takes shpool as an array of two pools, [0] for TX, [1] for RX. */
struct rpmsg_virtio_config {
	uint32_t h2r_buf_size;
	uint32_t r2h_buf_size;
	bool split_shpool;
};

#define RPMSG_VIRTIO_DEFAULT_CONFIG \
	(&(const struct rpmsg_virtio_config){ RPMSG_BUFFER_SIZE, RPMSG_BUFFER_SIZE, false })

/** v8r: counters of one device. */
struct rpmsg_virtio_v8r_stats {
	uint32_t tx_msgs;
	uint32_t tx_bytes;
	uint32_t rx_msgs;
	uint32_t rx_bytes;
	uint32_t kicks;
	uint32_t notifications;
	uint32_t dropped_malformed;
	uint32_t dropped_no_ept;
};

/** v8r: private state of one TX buffer (host: a carved buffer; remote: a descriptor of the send queue). */
struct rpmsg_virtio_v8r_txbuf {
	struct metal_list node; /* in reclaimer while released unsent */
	unsigned long off;      /* host: region offset of the buffer (header) */
	uint8_t state;          /* V8R_TX_* (csrc/_rpmsg_virtio_internal.h) */
	uint8_t pad[3];
};

/** Waits for the peer to return a buffer; id is the notify id of the receive vring. */
typedef int (*rpmsg_virtio_notify_wait_cb)(struct rpmsg_device *rdev, uint32_t id);

struct rpmsg_virtio_device {
	struct rpmsg_device rdev;
	struct rpmsg_virtio_config config;
	struct virtio_device *vdev;
	struct virtqueue *rvq;
	struct virtqueue *svq;
	struct metal_io_region *shbuf_io;
	struct rpmsg_virtio_shm_pool *shpool;
	struct metal_list reclaimer; /* TX buffers released unsent, reused first */
	rpmsg_virtio_notify_wait_cb notify_wait_cb;
	/* v8r extensions */
	struct rpmsg_virtio_shm_pool *v8r_rx_pool;
	struct rpmsg_virtio_v8r_txbuf *v8r_tx; /* one per send-queue descriptor */
	unsigned int v8r_tx_carved;    /* host: buffers carved from the pool so far */
	unsigned long v8r_rx_base;     /* host: offset of the first RX buffer */
	uint8_t *v8r_rx_held;          /* per RX buffer: held by the application */
	unsigned char *v8r_bounce;     /* copies of received payloads for C callbacks */
	unsigned char *v8r_tx_bounce;  /* TX payload buffers lent to C callers */
	struct rpmsg_virtio_v8r_stats v8r_stats;
};

int rpmsg_init_vdev(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev, rpmsg_ns_bind_cb ns_bind_cb,
		    struct metal_io_region *shm_io, struct rpmsg_virtio_shm_pool *shpool);
int rpmsg_init_vdev_with_config(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
				rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
				struct rpmsg_virtio_shm_pool *shpool, const struct rpmsg_virtio_config *config);
void rpmsg_deinit_vdev(struct rpmsg_virtio_device *rvdev);
void rpmsg_virtio_init_shm_pool(struct rpmsg_virtio_shm_pool *shpool, void *shbuf, size_t size);
/** Carve size bytes from the pool (token address), NULL when it is used up. */
void *rpmsg_virtio_shm_pool_get_buffer(struct rpmsg_virtio_shm_pool *shpool, size_t size);
struct rpmsg_device *rpmsg_virtio_get_rpmsg_device(struct rpmsg_virtio_device *rvdev);
int rpmsg_virtio_get_tx_buffer_size(struct rpmsg_device *rdev);
int rpmsg_virtio_get_rx_buffer_size(struct rpmsg_device *rdev);
int rpmsg_virtio_get_buffer_size(struct rpmsg_device *rdev);

/**
 * Set the callback a waiting send calls while no TX buffer is free. It returns
 * RPMSG_SUCCESS to try again at once, RPMSG_EOPNOTSUPP to sleep 1 ms and try
 * again (counting towards the 15 s limit), any other value to stop waiting.
 */
static inline void rpmsg_virtio_set_wait_cb(struct rpmsg_virtio_device *rvdev,
					    rpmsg_virtio_notify_wait_cb notify_wait_cb)
{
	rvdev->notify_wait_cb = notify_wait_cb;
}

/** Role of the device: RPMSG_HOST or RPMSG_REMOTE. */
static inline unsigned int rpmsg_virtio_get_role(struct rpmsg_virtio_device *rvdev)
{
	return rvdev->vdev->role;
}

/* v8r extensions, used by the wasm glue (see rpmsg_v8r.h). */
int rpmsg_virtio_v8r_init(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
			  rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
			  struct rpmsg_virtio_shm_pool *shpool, const struct rpmsg_virtio_config *config, int wait_ready);
void rpmsg_virtio_v8r_rx(struct rpmsg_virtio_device *rvdev);
void rpmsg_virtio_v8r_peer_reset(struct rpmsg_virtio_device *rvdev);
void rpmsg_virtio_v8r_flush_ns(struct rpmsg_virtio_device *rvdev);
uint32_t rpmsg_virtio_v8r_bad_entries(struct rpmsg_virtio_device *rvdev);
int rpmsg_virtio_v8r_free_tx(struct rpmsg_virtio_device *rvdev);

#ifdef __cplusplus
}
#endif

#endif
