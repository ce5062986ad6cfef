/*
 * v8r OpenAMP: RPMsg over virtio, the receive path. One notification drains
 * every pending message (bounded per call). A buffer goes back to the peer
 * when its last hold is dropped: the delivery's own, and one per
 * rpmsg_hold_rx_buffer().
 */
#include <string.h>
#include <openamp/rpmsg_virtio.h>
#include "_mirror.h"
#include "_rpmsg_virtio_internal.h"
#include "_virtqueue_internal.h"
#include "v8r_shm_io.h"

int rpmsg_virtio_v8r_current_rx = -1;

int rpmsg_virtio_v8r_rx_index(struct rpmsg_virtio_device *rvdev, unsigned long off)
{
	struct virtqueue *rvq = rvdev->rvq;
	if (v8r_is_host(rvdev)) {
		/* the pool carves receive buffers in a row: try that slot first */
		uint32_t size = rvdev->config.r2h_buf_size;
		unsigned long base = rvdev->v8r_rx_off[0];
		unsigned long k = off >= base ? (off - base) / size : rvq->vq_nentries;
		if (k < rvq->vq_nentries && rvdev->v8r_rx_off[k] == off)
			return (int)k;
		for (unsigned int i = 0; i < rvq->vq_nentries; i++)
			if (rvdev->v8r_rx_off[i] == off)
				return (int)i;
		return -1;
	}
	void *p = metal_io_virt(rvdev->shbuf_io, off);
	for (unsigned int i = 0; i < rvq->vq_nentries; i++)
		if (rvq->vq_descx[i].v8r_in_use && rvq->vq_descx[i].cookie == p)
			return (int)i;
	return -1;
}

/* Hand receive buffer k back to the peer (called with the device locked). */
static void return_rx(struct rpmsg_virtio_device *rvdev, uint32_t k)
{
	struct virtqueue *rvq = rvdev->rvq;
	if (v8r_is_host(rvdev)) {
		void *buf = metal_io_virt(rvdev->shbuf_io, rvdev->v8r_rx_off[k]);
		struct virtqueue_buf vb = { buf, (int)rvdev->config.r2h_buf_size };
		virtqueue_add_buffer(rvq, &vb, 0, 1, buf);
	} else {
		virtqueue_add_consumed_buffer(rvq, (uint16_t)k, rvq->vq_descx[k].v8r_len);
	}
}

int rpmsg_virtio_v8r_hold(struct rpmsg_virtio_device *rvdev, uint32_t k)
{
	int ret = RPMSG_ERR_PARAM;
	metal_mutex_acquire(&rvdev->rdev.lock);
	if (k < rvdev->rvq->vq_nentries && rvdev->v8r_rx_held[k] && rvdev->v8r_rx_held[k] < 0xffffu) {
		rvdev->v8r_rx_held[k]++;
		ret = 0;
	}
	metal_mutex_release(&rvdev->rdev.lock);
	return ret;
}

int rpmsg_virtio_v8r_release(struct rpmsg_virtio_device *rvdev, uint32_t k)
{
	int returned = 0, ret = RPMSG_ERR_PARAM;
	metal_mutex_acquire(&rvdev->rdev.lock);
	if (k < rvdev->rvq->vq_nentries && rvdev->v8r_rx_held[k]) {
		ret = 0;
		returned = --rvdev->v8r_rx_held[k] == 0;
		if (returned)
			return_rx(rvdev, k);
	}
	metal_mutex_release(&rvdev->rdev.lock);
	if (returned)
		virtqueue_kick(rvdev->rvq); /* tell the peer a buffer came back */
	return ret;
}

/* Take the next received buffer: header offset (or METAL_BAD_OFFSET), its index and length. */
static unsigned long take_rx(struct rpmsg_virtio_device *rvdev, uint32_t *k, uint32_t *blen)
{
	struct virtqueue *rvq = rvdev->rvq;
	if (v8r_is_host(rvdev)) {
		void *buf = virtqueue_get_buffer(rvq, NULL, NULL);
		unsigned long off = buf ? metal_io_virt_to_offset(rvdev->shbuf_io, buf) : METAL_BAD_OFFSET;
		int idx = off == METAL_BAD_OFFSET ? -1 : rpmsg_virtio_v8r_rx_index(rvdev, off);
		if (idx < 0)
			return METAL_BAD_OFFSET;
		*k = (uint32_t)idx;
		*blen = rvdev->config.r2h_buf_size;
		return off;
	}
	uint16_t head = 0;
	void *buf = virtqueue_get_available_buffer(rvq, &head, blen);
	if (!buf)
		return METAL_BAD_OFFSET;
	*k = head;
	return metal_io_virt_to_offset(rvdev->shbuf_io, buf);
}

/*
 * Headers read ahead: the message being taken and those read ahead with it (the ring's read-ahead), read in one
 * crossing and used in ring order. Each is still read once into private memory and checked when used; the cache
 * lives for one receive batch of one device.
 */
#define HDR_AHEAD 64u
static struct {
	struct rpmsg_virtio_device *owner;
	unsigned int n, next;
	uint32_t off[HDR_AHEAD];
	_Alignas(8) unsigned char hdr[HDR_AHEAD][RPMSG_HDR_SIZE];
} hdrs;

void rpmsg_virtio_v8r_forget_headers(void)
{
	hdrs.owner = NULL;
	hdrs.n = hdrs.next = 0;
}

/* The header of the buffer at off (checked to lie in the region): from the read-ahead, else read with the next ones. */
static const unsigned char *header_bytes(struct rpmsg_virtio_device *rvdev, unsigned long off)
{
	struct metal_io_region *io = rvdev->shbuf_io;
	if (off >= io->size || io->size - off < RPMSG_HDR_SIZE)
		return NULL;
	if (hdrs.owner == rvdev)
		while (hdrs.next < hdrs.n)
			if (hdrs.off[hdrs.next++] == off)
				return hdrs.hdr[hdrs.next - 1];
	hdrs.off[0] = (uint32_t)off;
	unsigned int n = 1;
	if (rvdev->rvq->shm_io == io)
		n += virtqueue_v8r_ahead_bufs(rvdev->rvq, hdrs.off + 1, HDR_AHEAD - 1, RPMSG_HDR_SIZE);
	v8r_shm_io_gather(io, hdrs.off, n, RPMSG_HDR_SIZE, hdrs.hdr);
	hdrs.owner = rvdev;
	hdrs.n = n;
	hdrs.next = 1;
	return hdrs.hdr[0];
}

static int read_header(struct rpmsg_virtio_device *rvdev, unsigned long off, struct rpmsg_v8r_hdr *h)
{
	const unsigned char *b = header_bytes(rvdev, off);
	if (!b)
		return -1;
	h->src = rpmsg_v8r_get32(b);
	h->dst = rpmsg_v8r_get32(b + 4);
	h->reserved = rpmsg_v8r_get32(b + 8);
	h->len = (uint16_t)(b[12] | (b[13] << 8));
	h->flags = (uint16_t)(b[14] | (b[15] << 8));
	return 0;
}

int rpmsg_virtio_v8r_ns_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct rpmsg_virtio_device *rvdev = priv;
	unsigned char ns[RPMSG_NS_MSG_SIZE] = { 0 };
	(void)src;
	unsigned long off = metal_io_virt_to_offset(rvdev->shbuf_io, data);
	if (len == RPMSG_NS_MSG_SIZE && off != METAL_BAD_OFFSET &&
	    metal_io_block_read(rvdev->shbuf_io, off, ns, (int)sizeof(ns)) == (int)sizeof(ns))
		rpmsg_v8r_ns_received(ept->rdev, ns, len);
	else
		rpmsg_v8r_ns_received(ept->rdev, ns, 0); /* counted as dropped */
	return RPMSG_SUCCESS;
}

/* Deliver a message to its endpoint (referenced by the caller): bind it to the sender first if it is unbound. */
static void deliver(struct rpmsg_virtio_device *rvdev, struct rpmsg_endpoint *ept, uint32_t k, unsigned long off,
		    const struct rpmsg_v8r_hdr *h)
{
	unsigned long payload = off + RPMSG_HDR_SIZE;
	if (ept->dest_addr == RPMSG_ADDR_ANY)
		rpmsg_v8r_set_dest(ept, h->src);
	int saved = rpmsg_virtio_v8r_current_rx;
	rpmsg_virtio_v8r_current_rx = (int)k;
	if (ept->v8r_raw_cb) {
		ept->v8r_raw_cb(ept, payload, h->len, h->src);
	} else if (ept->cb) {
		if (ept->cb != rpmsg_virtio_v8r_ns_cb)
			v8r_mirror_in(rvdev->shbuf_io, payload, h->len);
		ept->cb(ept, metal_io_virt(rvdev->shbuf_io, payload), h->len, h->src, ept->priv);
	}
	rpmsg_virtio_v8r_current_rx = saved;
}

/* Take, check and deliver one message; 0 when there was none. */
static int receive_one(struct rpmsg_virtio_device *rvdev)
{
	struct rpmsg_device *rdev = &rvdev->rdev;
	uint32_t k = 0, blen = 0;
	struct rpmsg_v8r_hdr h;
	metal_mutex_acquire(&rdev->lock);
	unsigned long off = take_rx(rvdev, &k, &blen);
	if (off == METAL_BAD_OFFSET) {
		metal_mutex_release(&rdev->lock);
		return 0;
	}
	struct rpmsg_endpoint *ept = NULL;
	if (blen < RPMSG_HDR_SIZE || read_header(rvdev, off, &h) || h.len > blen - RPMSG_HDR_SIZE) {
		rvdev->v8r_stats.dropped_malformed++;
	} else {
		rvdev->v8r_stats.rx_msgs++;
		rvdev->v8r_stats.rx_bytes += h.len;
		ept = rpmsg_get_endpoint(rdev, NULL, h.dst, RPMSG_ADDR_ANY);
		if (!ept)
			rvdev->v8r_stats.dropped_no_ept++;
		rpmsg_ept_incref(ept);
	}
	rvdev->v8r_rx_held[k] = 1; /* the delivery's hold */
	metal_mutex_release(&rdev->lock);
	if (ept) {
		deliver(rvdev, ept, k, off, &h);
		metal_mutex_acquire(&rdev->lock);
		rpmsg_ept_decref(ept);
		metal_mutex_release(&rdev->lock);
	}
	if (rvdev->rvq) /* a callback may have torn the device down */
		rpmsg_virtio_v8r_release(rvdev, k);
	return 1;
}

/*
 * Drain the receive queue as one batch: the buffers given back meanwhile are
 * published together at the end (at most half the ring held back), with one
 * kick if the peer wants one.
 */
void rpmsg_virtio_v8r_rx_callback(struct virtqueue *vq)
{
	struct rpmsg_virtio_device *rvdev = vq->vq_dev->priv;
	if (!rvdev || rvdev->rvq != vq)
		return;
	virtqueue_v8r_begin_batch(vq);
	rpmsg_virtio_v8r_forget_headers();
	for (unsigned int guard = 0; guard < 4u * vq->vq_nentries && rvdev->rvq == vq; guard++)
		if (!receive_one(rvdev))
			break;
	rpmsg_virtio_v8r_forget_headers();
	if (rvdev->rvq == vq) /* a callback may have torn the device down */
		virtqueue_v8r_end_batch(vq);
}

void rpmsg_virtio_v8r_rx(struct rpmsg_virtio_device *rvdev)
{
	if (rvdev && rvdev->rvq)
		rpmsg_virtio_v8r_rx_callback(rvdev->rvq);
}
