/*
 * v8r OpenAMP subset: RPMsg over virtio, the receive path.
 * One notification drains every pending message (bounded per call).
 */
#include <string.h>
#include <metal/alloc.h>
#include <openamp/rpmsg_virtio.h>
#include "_rpmsg_internal.h"
#include "_rpmsg_virtio_internal.h"

void rpmsg_virtio_v8r_return_rx(struct rpmsg_virtio_device *rvdev, uint32_t k)
{
	struct virtqueue *rvq = rvdev->rvq;
	if (v8r_is_host(rvdev)) {
		unsigned long off = rvdev->v8r_rx_base + (unsigned long)k * rvdev->config.r2h_buf_size;
		struct virtqueue_buf vb = { metal_io_virt(rvdev->shbuf_io, off), (int)rvdev->config.r2h_buf_size };
		virtqueue_add_buffer(rvq, &vb, 0, 1, vb.buf);
	} else {
		virtqueue_add_consumed_buffer(rvq, (uint16_t)k, rvq->vq_descx[k].len);
	}
}

/* Take the next received buffer: header offset (or METAL_BAD_OFFSET), its index and length. */
static unsigned long take_rx(struct rpmsg_virtio_device *rvdev, uint32_t *k, uint32_t *blen)
{
	struct virtqueue *rvq = rvdev->rvq;
	if (v8r_is_host(rvdev)) {
		void *buf = virtqueue_get_buffer(rvq, NULL, NULL);
		if (!buf)
			return METAL_BAD_OFFSET;
		unsigned long off = metal_io_virt_to_offset(rvdev->shbuf_io, buf);
		*k = (uint32_t)((off - rvdev->v8r_rx_base) / rvdev->config.r2h_buf_size);
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

static unsigned char *rx_bounce(struct rpmsg_virtio_device *rvdev, uint32_t k)
{
	return rpmsg_virtio_v8r_bounce(&rvdev->v8r_bounce, rvdev->rvq->vq_nentries, v8r_bounce_slot(rvdev), k);
}

static void deliver(struct rpmsg_virtio_device *rvdev, uint32_t k, unsigned long off, const struct rpmsg_v8r_hdr *h)
{
	struct rpmsg_device *rdev = &rvdev->rdev;
	struct rpmsg_endpoint *ept = rpmsg_get_endpoint(rdev, NULL, h->dst, RPMSG_ADDR_ANY);
	if (!ept) {
		rvdev->v8r_stats.dropped_no_ept++;
		return;
	}
	if (ept == &rdev->ns_ept) {
		unsigned char ns[RPMSG_NS_MSG_SIZE];
		if (h->len == RPMSG_NS_MSG_SIZE)
			metal_io_block_read(rvdev->shbuf_io, off + RPMSG_HDR_SIZE, ns, (int)sizeof(ns));
		rpmsg_v8r_ns_received(rdev, ns, h->len);
		return;
	}
	if (ept->dest_addr == RPMSG_ADDR_ANY) {
		rpmsg_v8r_set_dest(ept, h->src);
		/* the bind hook may have destroyed it */
		ept = rpmsg_get_endpoint(rdev, NULL, h->dst, RPMSG_ADDR_ANY);
		if (!ept)
			return;
	}
	int saved = rpmsg_virtio_v8r_current_rx;
	rpmsg_virtio_v8r_current_rx = (int)k;
	if (ept->v8r_raw_cb) {
		ept->v8r_raw_cb(ept, off + RPMSG_HDR_SIZE, h->len, h->src);
	} else if (ept->cb) {
		unsigned char *p = h->len <= v8r_bounce_slot(rvdev) ? rx_bounce(rvdev, k) : NULL;
		if (p) {
			metal_io_block_read(rvdev->shbuf_io, off + RPMSG_HDR_SIZE, p, h->len);
			ept->cb(ept, p, h->len, h->src, ept->priv);
		} else {
			rvdev->v8r_stats.dropped_malformed++;
		}
	}
	rpmsg_virtio_v8r_current_rx = saved;
}

static int read_header(struct metal_io_region *io, unsigned long off, struct rpmsg_v8r_hdr *h)
{
	unsigned char b[RPMSG_HDR_SIZE];
	if (metal_io_block_read(io, off, b, (int)sizeof(b)) < 0)
		return -1;
	h->src = rpmsg_v8r_get32(b);
	h->dst = rpmsg_v8r_get32(b + 4);
	h->reserved = rpmsg_v8r_get32(b + 8);
	h->len = (uint16_t)(b[12] | (b[13] << 8));
	h->flags = (uint16_t)(b[14] | (b[15] << 8));
	return 0;
}

void rpmsg_virtio_v8r_rx_callback(struct virtqueue *vq)
{
	struct rpmsg_virtio_device *rvdev = vq->vq_dev->priv;
	if (!rvdev || rvdev->rvq != vq)
		return;
	unsigned int returned = 0;
	for (unsigned int guard = 0; guard < 4u * vq->vq_nentries; guard++) {
		uint32_t k = 0, blen = 0;
		unsigned long off = take_rx(rvdev, &k, &blen);
		if (off == METAL_BAD_OFFSET)
			break;
		struct rpmsg_v8r_hdr h;
		if (blen < RPMSG_HDR_SIZE || read_header(rvdev->shbuf_io, off, &h) || h.len > blen - RPMSG_HDR_SIZE) {
			rvdev->v8r_stats.dropped_malformed++;
			rpmsg_virtio_v8r_return_rx(rvdev, k);
			returned++;
			continue;
		}
		rvdev->v8r_stats.rx_msgs++;
		rvdev->v8r_stats.rx_bytes += h.len;
		rvdev->v8r_rx_held[k] = 0;
		deliver(rvdev, k, off, &h);
		if (!rvdev->rvq)
			return; /* the callback tore the device down */
		if (!rvdev->v8r_rx_held[k]) {
			rpmsg_virtio_v8r_return_rx(rvdev, k);
			returned++;
		}
	}
	if (returned)
		virtqueue_kick(vq);
}

void rpmsg_virtio_v8r_rx(struct rpmsg_virtio_device *rvdev)
{
	if (rvdev && rvdev->rvq)
		rpmsg_virtio_v8r_rx_callback(rvdev->rvq);
}
