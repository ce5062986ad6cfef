/*
 * v8r OpenAMP: RPMsg over virtio, the transmit path and the device ops.
 *
 * Host TX: a buffer released unsent (reclaimer), else the oldest one the
 * remote returned, else the next pool slot (at most one per descriptor).
 * Remote TX: a buffer released unsent, else the next one the host made
 * available, returned on the used ring. Payload pointers handed to C point
 * into the region's mirror; see the README's pointer rule.
 */
#include <string.h>
#include <metal/sleep.h>
#include <openamp/rpmsg_virtio.h>
#include "_mirror.h"
#include "_rpmsg_virtio_internal.h"

static int link_ready(struct rpmsg_virtio_device *rvdev)
{
	uint8_t status = 0;
	return virtio_get_status(rvdev->vdev, &status) == 0 && (status & VIRTIO_CONFIG_STATUS_DRIVER_OK);
}

static struct rpmsg_virtio_v8r_txbuf *take_reclaimed(struct rpmsg_virtio_device *rvdev)
{
	struct metal_list *node = metal_list_first(&rvdev->reclaimer);
	if (!node)
		return NULL;
	metal_list_del(node);
	return metal_container_of(node, struct rpmsg_virtio_v8r_txbuf, node);
}

static struct rpmsg_virtio_v8r_txbuf *host_take_tx(struct rpmsg_virtio_device *rvdev)
{
	struct rpmsg_virtio_v8r_txbuf *txb = take_reclaimed(rvdev);
	if (!txb)
		txb = virtqueue_get_buffer(rvdev->svq, NULL, NULL);
	if (!txb && rvdev->v8r_tx_carved < rvdev->svq->vq_nentries) {
		void *buf = rpmsg_virtio_shm_pool_get_buffer(rvdev->shpool, rvdev->config.h2r_buf_size);
		unsigned long off = buf ? metal_io_virt_to_offset(rvdev->shbuf_io, buf) : METAL_BAD_OFFSET;
		if (off == METAL_BAD_OFFSET || rvdev->config.h2r_buf_size > rvdev->shbuf_io->size - off)
			return NULL;
		txb = &rvdev->v8r_tx[rvdev->v8r_tx_carved++];
		txb->off = off;
	}
	return txb;
}

static struct rpmsg_virtio_v8r_txbuf *remote_take_tx(struct rpmsg_virtio_device *rvdev)
{
	struct rpmsg_virtio_v8r_txbuf *txb = take_reclaimed(rvdev);
	struct virtqueue *svq = rvdev->svq;
	for (unsigned int guard = 0; !txb && guard <= svq->vq_nentries; guard++) {
		uint16_t head = 0;
		uint32_t dlen = 0;
		void *buf = virtqueue_get_available_buffer(svq, &head, &dlen);
		if (!buf)
			return NULL;
		if (dlen < RPMSG_HDR_SIZE || dlen - RPMSG_HDR_SIZE > 0xffffu) {
			rvdev->v8r_stats.dropped_malformed++;
			virtqueue_add_consumed_buffer(svq, head, 0);
			continue;
		}
		txb = &rvdev->v8r_tx[head];
		txb->off = metal_io_virt_to_offset(rvdev->shbuf_io, buf);
	}
	return txb;
}

static uint32_t tag_capacity(struct rpmsg_virtio_device *rvdev, uint32_t tag)
{
	if (v8r_is_host(rvdev))
		return rvdev->config.h2r_buf_size - RPMSG_HDR_SIZE;
	return rvdev->svq->vq_descx[tag].v8r_len - RPMSG_HDR_SIZE;
}

unsigned long rpmsg_virtio_v8r_take_tx(struct rpmsg_virtio_device *rvdev, uint32_t *cap, uint32_t *tag)
{
	metal_mutex_acquire(&rvdev->rdev.lock);
	struct rpmsg_virtio_v8r_txbuf *txb = v8r_is_host(rvdev) ? host_take_tx(rvdev) : remote_take_tx(rvdev);
	if (txb) {
		txb->state = V8R_TX_LENT;
		*tag = (uint32_t)(txb - rvdev->v8r_tx);
		*cap = tag_capacity(rvdev, *tag);
	}
	metal_mutex_release(&rvdev->rdev.lock);
	return txb ? txb->off : METAL_BAD_OFFSET;
}

static int tag_ok(struct rpmsg_virtio_device *rvdev, uint32_t tag)
{
	return tag < rvdev->svq->vq_nentries && rvdev->v8r_tx[tag].state == V8R_TX_LENT;
}

/* Tag of the lent buffer whose payload is at address p, or -1. */
static int tag_of_payload(struct rpmsg_virtio_device *rvdev, const void *p)
{
	unsigned long off = metal_io_virt_to_offset(rvdev->shbuf_io, (void *)(uintptr_t)p);
	if (off == METAL_BAD_OFFSET || off < RPMSG_HDR_SIZE)
		return -1;
	for (unsigned int i = 0; i < rvdev->svq->vq_nentries; i++)
		if (rvdev->v8r_tx[i].state == V8R_TX_LENT && rvdev->v8r_tx[i].off == off - RPMSG_HDR_SIZE)
			return (int)i;
	return -1;
}

static void write_header(struct metal_io_region *io, unsigned long off, uint32_t src, uint32_t dst, uint32_t len)
{
	_Alignas(8) unsigned char h[RPMSG_HDR_SIZE];
	rpmsg_v8r_put32(h, src);
	rpmsg_v8r_put32(h + 4, dst);
	rpmsg_v8r_put32(h + 8, 0);
	rpmsg_v8r_put32(h + 12, len & 0xffffu);
	metal_io_block_write(io, off, h, (int)sizeof(h));
}

/* Put a lent TX buffer whose header and payload are in place on the ring, and kick. */
static int enqueue_tx(struct rpmsg_virtio_device *rvdev, uint32_t tag, uint32_t len)
{
	struct rpmsg_virtio_v8r_txbuf *txb = &rvdev->v8r_tx[tag];
	metal_mutex_acquire(&rvdev->rdev.lock);
	int ret;
	if (v8r_is_host(rvdev)) {
		struct virtqueue_buf vb = { metal_io_virt(rvdev->shbuf_io, txb->off), (int)rvdev->config.h2r_buf_size };
		ret = virtqueue_add_buffer(rvdev->svq, &vb, 1, 0, txb);
		txb->state = ret ? V8R_TX_LENT : V8R_TX_IN_RING;
	} else {
		ret = virtqueue_add_consumed_buffer(rvdev->svq, (uint16_t)tag, rvdev->svq->vq_descx[tag].v8r_len);
		txb->state = ret ? V8R_TX_LENT : V8R_TX_NONE;
	}
	metal_mutex_release(&rvdev->rdev.lock);
	if (ret)
		return RPMSG_ERR_NO_BUFF;
	rvdev->v8r_stats.tx_msgs++;
	rvdev->v8r_stats.tx_bytes += len;
	virtqueue_kick(rvdev->svq);
	return (int)len;
}

int rpmsg_virtio_v8r_publish_tx(struct rpmsg_virtio_device *rvdev, uint32_t tag, uint32_t src, uint32_t dst,
				uint32_t len)
{
	if (!tag_ok(rvdev, tag) || len > tag_capacity(rvdev, tag))
		return RPMSG_ERR_PARAM;
	write_header(rvdev->shbuf_io, rvdev->v8r_tx[tag].off, src, dst, len);
	return enqueue_tx(rvdev, tag, len);
}

int rpmsg_virtio_v8r_publish_tx_written(struct rpmsg_virtio_device *rvdev, uint32_t tag, uint32_t len)
{
	if (!tag_ok(rvdev, tag) || len > tag_capacity(rvdev, tag))
		return RPMSG_ERR_PARAM;
	return enqueue_tx(rvdev, tag, len);
}

int rpmsg_virtio_v8r_return_tx(struct rpmsg_virtio_device *rvdev, uint32_t tag)
{
	if (!tag_ok(rvdev, tag))
		return RPMSG_ERR_PARAM;
	/* kept for the next send, in both roles: nothing goes on the wire */
	metal_mutex_acquire(&rvdev->rdev.lock);
	rvdev->v8r_tx[tag].state = V8R_TX_RECLAIMED;
	metal_list_add_tail(&rvdev->reclaimer, &rvdev->v8r_tx[tag].node);
	metal_mutex_release(&rvdev->rdev.lock);
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
 * Take a TX buffer, waiting when asked, as upstream: the wait callback
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
		len = (int)cap; /* upstream truncates */
	metal_io_block_write(rvdev->shbuf_io, off + RPMSG_HDR_SIZE, data, len);
	return rpmsg_virtio_v8r_publish_tx(rvdev, tag, src, dst, (uint32_t)len);
}

static void *op_get_tx_payload_buffer(struct rpmsg_device *rdev, uint32_t *len, int wait)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	uint32_t cap = 0, tag = 0;
	unsigned long off = take_tx_waiting(rvdev, &cap, &tag, wait);
	if (off == METAL_BAD_OFFSET)
		return NULL;
	*len = cap;
	return metal_io_virt(rvdev->shbuf_io, off + RPMSG_HDR_SIZE);
}

static int op_send_offchannel_nocopy(struct rpmsg_device *rdev, uint32_t src, uint32_t dst, const void *data,
				     int len)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int tag = tag_of_payload(rvdev, data);
	if (tag < 0 || len < 0 || (uint32_t)len > tag_capacity(rvdev, (uint32_t)tag))
		return RPMSG_ERR_PARAM;
	v8r_mirror_out(rvdev->shbuf_io, rvdev->v8r_tx[tag].off + RPMSG_HDR_SIZE, (unsigned long)len);
	return rpmsg_virtio_v8r_publish_tx(rvdev, (uint32_t)tag, src, dst, (uint32_t)len);
}

static int op_release_tx_buffer(struct rpmsg_device *rdev, void *txbuf)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int tag = tag_of_payload(rvdev, txbuf);
	return tag < 0 ? RPMSG_ERR_PARAM : rpmsg_virtio_v8r_return_tx(rvdev, (uint32_t)tag);
}

/* Index of the receive buffer whose payload is at address p, or -1. */
static int rx_index_of_payload(struct rpmsg_virtio_device *rvdev, const void *p)
{
	unsigned long off = metal_io_virt_to_offset(rvdev->shbuf_io, (void *)(uintptr_t)p);
	return off == METAL_BAD_OFFSET || off < RPMSG_HDR_SIZE ? -1
							       : rpmsg_virtio_v8r_rx_index(rvdev, off - RPMSG_HDR_SIZE);
}

static void op_hold_rx_buffer(struct rpmsg_device *rdev, void *rxbuf)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int k = rx_index_of_payload(rvdev, rxbuf);
	if (k >= 0)
		rpmsg_virtio_v8r_hold(rvdev, (uint32_t)k);
}

static void op_release_rx_buffer(struct rpmsg_device *rdev, void *rxbuf)
{
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int k = rx_index_of_payload(rvdev, rxbuf);
	if (k >= 0)
		rpmsg_virtio_v8r_release(rvdev, (uint32_t)k);
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
