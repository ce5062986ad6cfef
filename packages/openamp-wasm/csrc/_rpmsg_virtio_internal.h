/* v8r: internals shared by the rpmsg_virtio files and the glue. */
#ifndef V8R_RPMSG_VIRTIO_INTERNAL_H
#define V8R_RPMSG_VIRTIO_INTERNAL_H

#include <metal/utilities.h>
#include <openamp/rpmsg_virtio.h>
#include "_rpmsg_internal.h"
#include "_virtqueue_internal.h"

/* States of a TX buffer (struct rpmsg_virtio_v8r_txbuf). */
#define V8R_TX_NONE 0      /* host: not carved yet; remote: not taken from the avail ring */
#define V8R_TX_IN_RING 1   /* host: posted to the peer */
#define V8R_TX_LENT 2      /* taken, not yet sent or released */
#define V8R_TX_RECLAIMED 3 /* released unsent: in rvdev->reclaimer */

static inline struct rpmsg_virtio_device *v8r_to_rvdev(struct rpmsg_device *rdev)
{
	return metal_container_of(rdev, struct rpmsg_virtio_device, rdev);
}

static inline int v8r_is_host(struct rpmsg_virtio_device *rvdev)
{
	return VIRTIO_ROLE_IS_DRIVER(rvdev->vdev);
}

/** Like rpmsg_init_vdev_with_config(); a remote whose host is not ready returns RPMSG_ERR_DEV_STATE unless wait_ready. */
int rpmsg_virtio_v8r_init(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
			  rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
			  struct rpmsg_virtio_shm_pool *shpool, const struct rpmsg_virtio_config *config, int wait_ready);
/** Take a TX buffer (the caller checked the link): the region offset of its header or METAL_BAD_OFFSET; *cap its payload size, *tag its index. */
unsigned long rpmsg_virtio_v8r_take_tx(struct rpmsg_virtio_device *rvdev, uint32_t *cap, uint32_t *tag);
/** Publish a taken TX buffer whose payload is in place; len or an error. */
int rpmsg_virtio_v8r_publish_tx(struct rpmsg_virtio_device *rvdev, uint32_t tag, uint32_t src, uint32_t dst,
				uint32_t len);
/** Publish a taken TX buffer whose header (src, dst, reserved 0, len, flags 0) the caller wrote with the payload. */
int rpmsg_virtio_v8r_publish_tx_written(struct rpmsg_virtio_device *rvdev, uint32_t tag, uint32_t len);
/** Give back a taken TX buffer unsent: it goes to the reclaimer. */
int rpmsg_virtio_v8r_return_tx(struct rpmsg_virtio_device *rvdev, uint32_t tag);
/** One more hold on receive buffer k (while it is being delivered or held); 0 or RPMSG_ERR_PARAM. */
int rpmsg_virtio_v8r_hold(struct rpmsg_virtio_device *rvdev, uint32_t k);
/** Drop a hold on receive buffer k; the last one hands it back to the peer. 0 or RPMSG_ERR_PARAM. */
int rpmsg_virtio_v8r_release(struct rpmsg_virtio_device *rvdev, uint32_t k);
/** Index of the receive buffer whose header is at region offset off, or -1. */
int rpmsg_virtio_v8r_rx_index(struct rpmsg_virtio_device *rvdev, unsigned long off);
/** Drain the receive queue (what a notification on it does). */
void rpmsg_virtio_v8r_rx(struct rpmsg_virtio_device *rvdev);
void rpmsg_virtio_v8r_rx_callback(struct virtqueue *vq);
/** The name-service endpoint's callback (data: the payload's address in the buffer region). */
int rpmsg_virtio_v8r_ns_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv);
/** Remote: the host re-initialised; forget ring state and buffers, unbind endpoints, re-announce later. */
void rpmsg_virtio_v8r_peer_reset(struct rpmsg_virtio_device *rvdev);
/** Drop the headers read ahead (the end of a receive batch, a peer reset, a device init or deinit). */
void rpmsg_virtio_v8r_forget_headers(void);
/** Send the pending name-service announcements that a free buffer allows. */
void rpmsg_virtio_v8r_flush_ns(struct rpmsg_virtio_device *rvdev);
uint32_t rpmsg_virtio_v8r_bad_entries(struct rpmsg_virtio_device *rvdev);
/** TX buffers a send could take right now. */
int rpmsg_virtio_v8r_free_tx(struct rpmsg_virtio_device *rvdev);
void rpmsg_virtio_v8r_set_ops(struct rpmsg_device *rdev);
/** Index of the receive buffer whose callback is running, or -1. */
extern int rpmsg_virtio_v8r_current_rx;

#endif
