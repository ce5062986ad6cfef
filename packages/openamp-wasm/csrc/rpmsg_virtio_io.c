/*
 * v8r OpenAMP subset: RPMsg over virtio, the data paths.
 *
 * Host TX: reuse the oldest buffer the remote returned, else carve the next
 * pool slot (at most one per descriptor). Remote TX: fill the next buffer the
 * host made available and return it on the used ring. Every header read from
 * shared memory is checked against the buffer it sits in.
 */
#include <string.h>
#include <metal/alloc.h>
#include <metal/sleep.h>
#include <openamp/rpmsg_virtio.h>
#include "_rpmsg_internal.h"
#include "_rpmsg_virtio_internal.h"

int rpmsg_virtio_v8r_current_rx = -1;

static int link_ready(struct rpmsg_virtio_device *rvdev)
{
	struct virtio_device *vdev = rvdev->vdev;
	if (!vdev->func || !vdev->func->get_status)
		return 1;
	return (vdev->func->get_status(vdev) & VIRTIO_CONFIG_STATUS_DRIVER_OK) != 0;
}

/* A TX buffer released unsent, oldest first (upstream reuses these before anything else). */
static struct rpmsg_virtio_v8r_txbuf *take_reclaimed(struct rpmsg_virtio_device *rvdev)
{
	struct metal_list *node = metal_list_first(&rvdev->reclaimer);
	if (!node)
		return NULL;
	metal_list_del(node);
	return metal_container_of(node, struct rpmsg_virtio_v8r_txbuf, node);
}

static unsigned long host_take_tx(struct rpmsg_virtio_device *rvdev, uint32_t *tag)
{
	struct rpmsg_virtio_v8r_txbuf *txb = take_reclaimed(rvdev);
	if (!txb)
		txb = virtqueue_get_buffer(rvdev->svq, NULL, NULL);
	if (!txb && rvdev->v8r_tx_carved < rvdev->svq->vq_nentries) {
		void *buf = rpmsg_virtio_shm_pool_get_buffer(rvdev->shpool, rvdev->config.h2r_buf_size);
		unsigned long off = buf ? metal_io_virt_to_offset(rvdev->shbuf_io, buf) : METAL_BAD_OFFSET;
		if (off == METAL_BAD_OFFSET || rvdev->config.h2r_buf_size > rvdev->shbuf_io->size - off)
			return METAL_BAD_OFFSET;
		txb = &rvdev->v8r_tx[rvdev->v8r_tx_carved++];
		txb->off = off;
	}
	if (!txb)
		return METAL_BAD_OFFSET;
	txb->state = V8R_TX_LENT;
	*tag = (uint32_t)(txb - rvdev->v8r_tx);
	return txb->off;
}

static unsigned long remote_take_tx(struct rpmsg_virtio_device *rvdev, uint32_t *cap, uint32_t *tag)
{
	struct virtqueue *svq = rvdev->svq;
	struct rpmsg_virtio_v8r_txbuf *txb = take_reclaimed(rvdev);
	if (txb) {
		*tag = (uint32_t)(txb - rvdev->v8r_tx);
		txb->state = V8R_TX_LENT;
		*cap = svq->vq_descx[*tag].len - RPMSG_HDR_SIZE;
		return metal_io_virt_to_offset(rvdev->shbuf_io, svq->vq_descx[*tag].cookie);
	}
	for (unsigned int guard = 0; guard <= svq->vq_nentries; guard++) {
		uint16_t head = 0;
		uint32_t dlen = 0;
		void *buf = virtqueue_get_available_buffer(svq, &head, &dlen);
		if (!buf)
			return METAL_BAD_OFFSET;
		if (dlen < RPMSG_HDR_SIZE || dlen - RPMSG_HDR_SIZE > 0xffffu) {
			rvdev->v8r_stats.dropped_malformed++;
			virtqueue_add_consumed_buffer(svq, head, 0);
			continue;
		}
		*cap = dlen - RPMSG_HDR_SIZE;
		*tag = head;
		rvdev->v8r_tx[head].state = V8R_TX_LENT;
		return metal_io_virt_to_offset(rvdev->shbuf_io, buf);
	}
	return METAL_BAD_OFFSET;
}

unsigned long rpmsg_virtio_v8r_take_tx(struct rpmsg_virtio_device *rvdev, uint32_t *cap, uint32_t *tag)
{
	if (!link_ready(rvdev))
		return METAL_BAD_OFFSET;
	if (v8r_is_host(rvdev)) {
		*cap = rvdev->config.h2r_buf_size - RPMSG_HDR_SIZE;
		return host_take_tx(rvdev, tag);
	}
	return remote_take_tx(rvdev, cap, tag);
}

static int tag_ok(struct rpmsg_virtio_device *rvdev, uint32_t tag)
{
	return tag < rvdev->svq->vq_nentries && rvdev->v8r_tx[tag].state == V8R_TX_LENT;
}

static unsigned long tag_offset(struct rpmsg_virtio_device *rvdev, uint32_t tag)
{
	if (v8r_is_host(rvdev))
		return rvdev->v8r_tx[tag].off;
	return metal_io_virt_to_offset(rvdev->shbuf_io, rvdev->svq->vq_descx[tag].cookie);
}

static uint32_t tag_capacity(struct rpmsg_virtio_device *rvdev, uint32_t tag)
{
	if (v8r_is_host(rvdev))
		return rvdev->config.h2r_buf_size - RPMSG_HDR_SIZE;
	return rvdev->svq->vq_descx[tag].len - RPMSG_HDR_SIZE;
}

static void write_header(struct metal_io_region *io, unsigned long off, uint32_t src, uint32_t dst, uint32_t len)
{
	unsigned char h[RPMSG_HDR_SIZE];
	rpmsg_v8r_put32(h, src);
	rpmsg_v8r_put32(h + 4, dst);
	rpmsg_v8r_put32(h + 8, 0);
	rpmsg_v8r_put32(h + 12, len & 0xffffu);
	metal_io_block_write(io, off, h, (int)sizeof(h));
}

int rpmsg_virtio_v8r_publish_tx(struct rpmsg_virtio_device *rvdev, uint32_t tag, uint32_t src, uint32_t dst,
				uint32_t len)
{
	if (!tag_ok(rvdev, tag) || len > tag_capacity(rvdev, tag))
		return RPMSG_ERR_PARAM;
	unsigned long off = tag_offset(rvdev, tag);
	write_header(rvdev->shbuf_io, off, src, dst, len);
	if (v8r_is_host(rvdev)) {
		struct rpmsg_virtio_v8r_txbuf *txb = &rvdev->v8r_tx[tag];
		struct virtqueue_buf vb = { metal_io_virt(rvdev->shbuf_io, off), (int)rvdev->config.h2r_buf_size };
		if (virtqueue_add_buffer(rvdev->svq, &vb, 1, 0, txb))
			return RPMSG_ERR_NO_BUFF;
		txb->state = V8R_TX_IN_RING;
	} else {
		if (virtqueue_add_consumed_buffer(rvdev->svq, (uint16_t)tag, rvdev->svq->vq_descx[tag].len))
			return RPMSG_ERR_PARAM;
		rvdev->v8r_tx[tag].state = V8R_TX_NONE;
	}
	rvdev->v8r_stats.tx_msgs++;
	rvdev->v8r_stats.tx_bytes += len;
	virtqueue_kick(rvdev->svq);
	return (int)len;
}

int rpmsg_virtio_v8r_return_tx(struct rpmsg_virtio_device *rvdev, uint32_t tag)
{
	if (!tag_ok(rvdev, tag))
		return RPMSG_ERR_PARAM;
	/* Kept for reuse by the next send, in both roles: nothing goes on the wire. */
	rvdev->v8r_tx[tag].state = V8R_TX_RECLAIMED;
	metal_list_add_tail(&rvdev->reclaimer, &rvdev->v8r_tx[tag].node);
	return RPMSG_SUCCESS;
}

/* Ask the wait callback (with the receive vring's notify id) what to do while no buffer is free. */
static int notify_wait(struct rpmsg_virtio_device *rvdev)
{
	if (!rvdev->notify_wait_cb)
		return RPMSG_EOPNOTSUPP;
	struct virtio_device *vdev = rvdev->vdev;
	unsigned int i = rvdev->rvq->vq_queue_index;
	uint32_t id = i < vdev->vrings_num ? vdev->vrings_info[i].notifyid : 0;
	return rvdev->notify_wait_cb(&rvdev->rdev, id);
}

/*
 * Take a TX buffer, waiting when asked as upstream does: the wait callback
 * returning RPMSG_EOPNOTSUPP (or none set) means sleep 1 ms and retry, up to
 * 15 s; RPMSG_SUCCESS means retry at once; anything else stops waiting.
 */
static unsigned long take_tx_waiting(struct rpmsg_virtio_device *rvdev, uint32_t *cap, uint32_t *tag, int wait)
{
	if (!link_ready(rvdev))
		return METAL_BAD_OFFSET;
	int ticks = wait ? RPMSG_TICK_COUNT / RPMSG_TICKS_PER_INTERVAL : 0;
	for (;;) {
		unsigned long off = rpmsg_virtio_v8r_take_tx(rvdev, cap, tag);
		if (off != METAL_BAD_OFFSET || !ticks)
			return off;
		int status = notify_wait(rvdev);
		if (status == RPMSG_EOPNOTSUPP) {
			metal_sleep_usec(RPMSG_TICKS_PER_INTERVAL);
			ticks--;
		} else if (status != RPMSG_SUCCESS) {
			return METAL_BAD_OFFSET;
		}
	}
}

static int op_send_offchannel_raw(struct rpmsg_device *rdev, uint32_t src, uint32_t dst, const void *data, int len,
				  int wait)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	uint32_t cap = 0, tag = 0;
	unsigned long off = take_tx_waiting(rvdev, &cap, &tag, wait);
	if (off == METAL_BAD_OFFSET)
		return RPMSG_ERR_NO_BUFF;
	if ((uint32_t)len > cap)
		len = (int)cap; /* upstream behaviour: truncate */
	metal_io_block_write(rvdev->shbuf_io, off + RPMSG_HDR_SIZE, data, len);
	return rpmsg_virtio_v8r_publish_tx(rvdev, tag, src, dst, (uint32_t)len);
}

unsigned char *rpmsg_virtio_v8r_bounce(unsigned char **area, unsigned int n, uint32_t slot, uint32_t k)
{
	if (!*area) {
		*area = metal_allocate_memory(n * slot);
		if (!*area)
			return NULL;
	}
	return *area + (size_t)k * slot;
}

int rpmsg_virtio_v8r_bounce_index(const unsigned char *area, unsigned int n, uint32_t slot, const void *p)
{
	if (!area || !slot || (const unsigned char *)p < area)
		return -1;
	size_t d = (size_t)((const unsigned char *)p - area);
	if (d % slot || d / slot >= n)
		return -1;
	return (int)(d / slot);
}

/* Lent TX payload buffers for C callers live in linear memory, one slot per tag. */
static unsigned char *tx_bounce(struct rpmsg_virtio_device *rvdev, uint32_t tag)
{
	return rpmsg_virtio_v8r_bounce(&rvdev->v8r_tx_bounce, rvdev->svq->vq_nentries, v8r_bounce_slot(rvdev), tag);
}

static int bounce_tag(struct rpmsg_virtio_device *rvdev, const void *p)
{
	return rpmsg_virtio_v8r_bounce_index(rvdev->v8r_tx_bounce, rvdev->svq->vq_nentries, v8r_bounce_slot(rvdev), p);
}

static void *op_get_tx_payload_buffer(struct rpmsg_device *rdev, uint32_t *len, int wait)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	uint32_t cap = 0, tag = 0;
	if (take_tx_waiting(rvdev, &cap, &tag, wait) == METAL_BAD_OFFSET)
		return NULL;
	unsigned char *p = tx_bounce(rvdev, tag);
	if (!p) {
		rpmsg_virtio_v8r_return_tx(rvdev, tag);
		return NULL;
	}
	uint32_t slot = v8r_bounce_slot(rvdev);
	*len = cap < slot ? cap : slot;
	return p;
}

static int op_send_offchannel_nocopy(struct rpmsg_device *rdev, uint32_t src, uint32_t dst, const void *data,
				     int len)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int tag = bounce_tag(rvdev, data);
	/* the bounce slot may be larger than the shared buffer behind this tag */
	if (tag < 0 || len < 0 || !tag_ok(rvdev, (uint32_t)tag) || (uint32_t)len > v8r_bounce_slot(rvdev) ||
	    (uint32_t)len > tag_capacity(rvdev, (uint32_t)tag))
		return RPMSG_ERR_PARAM;
	metal_io_block_write(rvdev->shbuf_io, tag_offset(rvdev, (uint32_t)tag) + RPMSG_HDR_SIZE, data, len);
	return rpmsg_virtio_v8r_publish_tx(rvdev, (uint32_t)tag, src, dst, (uint32_t)len);
}

static int op_release_tx_buffer(struct rpmsg_device *rdev, void *txbuf)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int tag = bounce_tag(rvdev, txbuf);
	if (tag < 0)
		return RPMSG_ERR_PARAM;
	return rpmsg_virtio_v8r_return_tx(rvdev, (uint32_t)tag);
}

static int rx_index_of_bounce(struct rpmsg_virtio_device *rvdev, const void *p)
{
	return rpmsg_virtio_v8r_bounce_index(rvdev->v8r_bounce, rvdev->rvq->vq_nentries, v8r_bounce_slot(rvdev), p);
}

static void op_hold_rx_buffer(struct rpmsg_device *rdev, void *rxbuf)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int k = rx_index_of_bounce(rvdev, rxbuf);
	if (k >= 0)
		rvdev->v8r_rx_held[k] = 1;
}

static void op_release_rx_buffer(struct rpmsg_device *rdev, void *rxbuf)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int k = rx_index_of_bounce(rvdev, rxbuf);
	if (k >= 0 && rvdev->v8r_rx_held[k]) {
		rvdev->v8r_rx_held[k] = 0;
		rpmsg_virtio_v8r_return_rx(rvdev, (uint32_t)k);
		virtqueue_kick(rvdev->rvq);
	}
}

void rpmsg_virtio_v8r_set_ops(struct rpmsg_device *rdev)
{
	rdev->ops.send_offchannel_raw = op_send_offchannel_raw;
	rdev->ops.hold_rx_buffer = op_hold_rx_buffer;
	rdev->ops.release_rx_buffer = op_release_rx_buffer;
	rdev->ops.get_tx_payload_buffer = op_get_tx_payload_buffer;
	rdev->ops.send_offchannel_nocopy = op_send_offchannel_nocopy;
	rdev->ops.release_tx_buffer = op_release_tx_buffer;
	rdev->ops.get_rx_buffer_size = rpmsg_virtio_get_rx_buffer_size;
	rdev->ops.get_tx_buffer_size = rpmsg_virtio_get_tx_buffer_size;
}
