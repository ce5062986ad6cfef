/* v8r: internals shared by the rpmsg_virtio files. */
#ifndef V8R_RPMSG_VIRTIO_INTERNAL_H
#define V8R_RPMSG_VIRTIO_INTERNAL_H

#include <openamp/rpmsg_virtio.h>

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
	return rvdev->vdev->role == VIRTIO_DEV_DRIVER;
}

/** Largest payload the bounce buffers for C callers hold. */
static inline uint32_t v8r_bounce_slot(struct rpmsg_virtio_device *rvdev)
{
	uint32_t m = rvdev->config.h2r_buf_size > rvdev->config.r2h_buf_size ? rvdev->config.h2r_buf_size
									      : rvdev->config.r2h_buf_size;
	return m > RPMSG_HDR_SIZE ? m - RPMSG_HDR_SIZE : 0;
}

/** Take a TX buffer: returns the header offset or METAL_BAD_OFFSET; *cap is the payload capacity. */
unsigned long rpmsg_virtio_v8r_take_tx(struct rpmsg_virtio_device *rvdev, uint32_t *cap, uint32_t *tag);
/** Publish a taken TX buffer whose payload is already in place. Returns len or an error. */
int rpmsg_virtio_v8r_publish_tx(struct rpmsg_virtio_device *rvdev, uint32_t tag, uint32_t src, uint32_t dst,
				uint32_t len);
/** Give back a taken TX buffer without sending it. */
int rpmsg_virtio_v8r_return_tx(struct rpmsg_virtio_device *rvdev, uint32_t tag);
/** Hand a received buffer back to the peer (after the callback, or on release). */
void rpmsg_virtio_v8r_return_rx(struct rpmsg_virtio_device *rvdev, uint32_t k);
void rpmsg_virtio_v8r_rx_callback(struct virtqueue *vq);
/** Slot k of a bounce area of n slots of `slot` bytes in linear memory (allocated on first use), or NULL. */
unsigned char *rpmsg_virtio_v8r_bounce(unsigned char **area, unsigned int n, uint32_t slot, uint32_t k);
/** Index of the slot p points at in a bounce area of n slots, or -1. */
int rpmsg_virtio_v8r_bounce_index(const unsigned char *area, unsigned int n, uint32_t slot, const void *p);
void rpmsg_virtio_v8r_set_ops(struct rpmsg_device *rdev);
/** Index (into v8r_rx_held) of the buffer whose callback is running, or -1. */
extern int rpmsg_virtio_v8r_current_rx;

#endif
