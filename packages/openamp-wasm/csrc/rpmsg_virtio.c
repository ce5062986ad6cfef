/*
 * v8r OpenAMP: RPMsg over virtio, set-up, queries and tear-down.
 * The host (driver) owns every buffer; the remote (device) never allocates.
 */
#include <string.h>
#include <metal/alloc.h>
#include <metal/sleep.h>
#include <openamp/rpmsg_virtio.h>
#include "_rpmsg_virtio_internal.h"
#include "_virtio_internal.h"

#define RPMSG_NUM_VRINGS 2

metal_weak void *rpmsg_virtio_shm_pool_get_buffer(struct rpmsg_virtio_shm_pool *shpool, size_t size)
{
	if (!shpool || size == 0 || shpool->avail < size)
		return NULL;
	void *buf = (char *)shpool->base + (shpool->size - shpool->avail);
	shpool->avail -= size;
	return buf;
}

void rpmsg_virtio_init_shm_pool(struct rpmsg_virtio_shm_pool *shpool, void *shbuf, size_t size)
{
	if (!shpool || !shbuf || size == 0)
		return;
	shpool->base = shbuf;
	shpool->size = size;
	shpool->avail = size;
}

/* Payload size of the buffers of one direction: the host's configured size, the remote's next descriptor's. */
static int buffer_size(struct rpmsg_device *rdev, int tx)
{
	if (!rdev)
		return RPMSG_ERR_PARAM;
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int size;
	metal_mutex_acquire(&rdev->lock);
	if (v8r_is_host(rvdev))
		size = (int)(tx ? rvdev->config.h2r_buf_size : rvdev->config.r2h_buf_size) - (int)RPMSG_HDR_SIZE;
	else
		size = (int)virtqueue_get_desc_size(tx ? rvdev->svq : rvdev->rvq) - (int)RPMSG_HDR_SIZE;
	metal_mutex_release(&rdev->lock);
	return size <= 0 ? RPMSG_ERR_NO_BUFF : size;
}

int rpmsg_virtio_get_tx_buffer_size(struct rpmsg_device *rdev)
{
	return buffer_size(rdev, 1);
}

int rpmsg_virtio_get_rx_buffer_size(struct rpmsg_device *rdev)
{
	return buffer_size(rdev, 0);
}

/* Host: carve, zero and post one receive buffer per descriptor, from the first pool. */
static int post_rx_buffers(struct rpmsg_virtio_device *rvdev, struct rpmsg_virtio_shm_pool *pool)
{
	struct virtqueue *rvq = rvdev->rvq;
	struct metal_io_region *io = rvdev->shbuf_io;
	uint32_t size = rvdev->config.r2h_buf_size;
	for (unsigned int k = 0; k < rvq->vq_nentries; k++) {
		void *buf = rpmsg_virtio_shm_pool_get_buffer(pool, size);
		if (!buf)
			return RPMSG_ERR_NO_BUFF;
		unsigned long off = metal_io_virt_to_offset(io, buf);
		if (off == METAL_BAD_OFFSET || size > io->size - off)
			return RPMSG_ERR_PARAM;
		rvdev->v8r_rx_off[k] = off;
		metal_io_block_set(io, off, 0, (int)size);
		struct virtqueue_buf vb = { buf, (int)size };
		int ret = virtqueue_add_buffer(rvq, &vb, 0, 1, buf);
		if (ret)
			return ret;
	}
	return 0;
}

static void free_v8r_state(struct rpmsg_virtio_device *rvdev)
{
	metal_free_memory(rvdev->v8r_tx);
	metal_free_memory(rvdev->v8r_rx_held);
	metal_free_memory(rvdev->v8r_rx_off);
	rvdev->v8r_tx = NULL;
	rvdev->v8r_rx_held = NULL;
	rvdev->v8r_rx_off = NULL;
}

static int alloc_v8r_state(struct rpmsg_virtio_device *rvdev)
{
	unsigned int nrx = rvdev->rvq->vq_nentries, ntx = rvdev->svq->vq_nentries;
	rvdev->v8r_rx_held = metal_allocate_memory((unsigned int)(nrx * sizeof(*rvdev->v8r_rx_held)));
	rvdev->v8r_rx_off = metal_allocate_memory((unsigned int)(nrx * sizeof(*rvdev->v8r_rx_off)));
	rvdev->v8r_tx = metal_allocate_memory((unsigned int)(ntx * sizeof(*rvdev->v8r_tx)));
	if (!rvdev->v8r_rx_held || !rvdev->v8r_rx_off || !rvdev->v8r_tx)
		return RPMSG_ERR_NO_MEM;
	memset(rvdev->v8r_rx_held, 0, nrx * sizeof(*rvdev->v8r_rx_held));
	memset(rvdev->v8r_rx_off, 0, nrx * sizeof(*rvdev->v8r_rx_off));
	memset(rvdev->v8r_tx, 0, ntx * sizeof(*rvdev->v8r_tx));
	return 0;
}

static int setup_queues(struct rpmsg_virtio_device *rvdev, struct metal_io_region *shm_io)
{
	struct virtio_device *vdev = rvdev->vdev;
	int host = v8r_is_host(rvdev);
	const char *names[RPMSG_NUM_VRINGS] = { host ? "rx_vq" : "tx_vq", host ? "tx_vq" : "rx_vq" };
	vq_callback cbs[RPMSG_NUM_VRINGS] = { host ? rpmsg_virtio_v8r_rx_callback : NULL,
					      host ? NULL : rpmsg_virtio_v8r_rx_callback };
	for (unsigned int i = 0; i < RPMSG_NUM_VRINGS; i++)
		if (!vdev->vrings_info[i].io)
			vdev->vrings_info[i].io = shm_io; /* the rings are in the buffer region */
	int ret = virtio_create_virtqueues(vdev, 0, RPMSG_NUM_VRINGS, names, cbs, NULL);
	if (ret)
		return ret;
	rvdev->rvq = vdev->vrings_info[host ? 0 : 1].vq;
	rvdev->svq = vdev->vrings_info[host ? 1 : 0].vq;
	if (!rvdev->rvq || !rvdev->svq)
		return RPMSG_ERR_PARAM;
	virtqueue_disable_cb(rvdev->svq); /* no tx-complete interrupts: a waiting send polls */
	rvdev->rvq->shm_io = shm_io;
	rvdev->svq->shm_io = shm_io;
	return alloc_v8r_state(rvdev);
}

/* Remote: the ring positions as the rings show them (0 after a host init; a restarted remote resumes). */
static void device_queue_setup(struct rpmsg_virtio_device *rvdev)
{
	struct virtqueue *vqs[2] = { rvdev->rvq, rvdev->svq };
	for (int i = 0; i < 2; i++) {
		virtqueue_v8r_resume(vqs[i]);
		/* the host's buffers must not cover either ring; the remote writes into its send buffers */
		for (int j = 0; j < 2; j++)
			virtqueue_v8r_keep(vqs[i], vqs[j]->vq_v8r_desc, virtqueue_v8r_ring_bytes(vqs[j]));
	}
	rvdev->svq->vq_v8r_need_write = 1;
}

/* Remote: wait for the host's DRIVER_OK as upstream does (a NEEDS_RESET status is cleared); once without waiting. */
static int wait_driver_ok(struct virtio_device *vdev, int wait)
{
	for (;;) {
		uint8_t status = 0;
		int ret = virtio_get_status(vdev, &status);
		if (ret)
			return ret;
		if (status & VIRTIO_CONFIG_STATUS_NEEDS_RESET) {
			ret = virtio_set_status(vdev, 0);
			if (ret)
				return ret;
		} else if (status & VIRTIO_CONFIG_STATUS_DRIVER_OK) {
			return 0;
		}
		if (!wait)
			return RPMSG_ERR_DEV_STATE;
		metal_yield();
	}
}

static void init_rdev(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev, rpmsg_ns_bind_cb ns_bind_cb)
{
	struct rpmsg_device *rdev = &rvdev->rdev;
	memset(rvdev, 0, sizeof(*rvdev));
	metal_mutex_init(&rdev->lock);
	metal_list_init(&rdev->endpoints);
	metal_list_init(&rvdev->reclaimer);
	rvdev->vdev = vdev;
	rdev->ns_bind_cb = ns_bind_cb;
	vdev->priv = rvdev;
	rpmsg_virtio_v8r_set_ops(rdev);
}

int rpmsg_virtio_v8r_init(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
			  rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
			  struct rpmsg_virtio_shm_pool *shpool, const struct rpmsg_virtio_config *config, int wait_ready)
{
	if (!rvdev || !vdev || !shm_io || !vdev->vrings_info || vdev->vrings_num < RPMSG_NUM_VRINGS)
		return RPMSG_ERR_PARAM;
	int host = VIRTIO_ROLE_IS_DRIVER(vdev);
	if (host && (!config || !shpool))
		return RPMSG_ERR_PARAM;
	if (!host) {
		int ret = wait_driver_ok(vdev, wait_ready);
		if (ret)
			return ret;
	}
	init_rdev(rvdev, vdev, ns_bind_cb);
	rpmsg_virtio_v8r_forget_headers(); /* read ahead for the device as it was (re-initialised in a callback) */
	uint32_t features = 0;
	int ret = virtio_get_features(vdev, &features);
	if (ret)
		return ret;
	rvdev->rdev.support_ns = (features >> VIRTIO_RPMSG_F_NS) & 1u;
	if (host) {
		rvdev->config = *config;
		rvdev->shpool = config->split_shpool ? shpool + 1 : shpool;
		if (!shpool->size || !rvdev->shpool->size)
			return RPMSG_ERR_NO_BUFF;
	}
	rvdev->shbuf_io = shm_io;
	ret = setup_queues(rvdev, shm_io);
	if (!ret && host)
		ret = post_rx_buffers(rvdev, shpool);
	if (!ret && !host)
		device_queue_setup(rvdev);
	if (ret) {
		free_v8r_state(rvdev);
		virtio_delete_virtqueues(vdev);
		virtio_v8r_free_owned_vqs(vdev);
		return ret;
	}
	struct rpmsg_device *rdev = &rvdev->rdev;
	if (rdev->support_ns)
		rpmsg_register_endpoint(rdev, &rdev->ns_ept, "NS", RPMSG_NS_EPT_ADDR, RPMSG_NS_EPT_ADDR,
					rpmsg_virtio_v8r_ns_cb, NULL, rvdev);
	return host ? virtio_set_status(vdev, VIRTIO_CONFIG_STATUS_DRIVER_OK) : RPMSG_SUCCESS;
}

int rpmsg_init_vdev_with_config(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
				rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
				struct rpmsg_virtio_shm_pool *shpool, const struct rpmsg_virtio_config *config)
{
	return rpmsg_virtio_v8r_init(rvdev, vdev, ns_bind_cb, shm_io, shpool, config, 1);
}

int rpmsg_init_vdev(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev, rpmsg_ns_bind_cb ns_bind_cb,
		    struct metal_io_region *shm_io, struct rpmsg_virtio_shm_pool *shpool)
{
	static const struct rpmsg_virtio_config defaults = { RPMSG_BUFFER_SIZE, RPMSG_BUFFER_SIZE, false };
	return rpmsg_virtio_v8r_init(rvdev, vdev, ns_bind_cb, shm_io, shpool, &defaults, 1);
}

void rpmsg_deinit_vdev(struct rpmsg_virtio_device *rvdev)
{
	if (!rvdev || !rvdev->vdev)
		return;
	struct rpmsg_device *rdev = &rvdev->rdev;
	while (!metal_list_is_empty(&rdev->endpoints)) {
		struct rpmsg_endpoint *ept = metal_container_of(rdev->endpoints.next, struct rpmsg_endpoint, node);
		if (ept->rdev)
			rpmsg_destroy_ept(ept);
		else
			metal_list_del(&ept->node);
	}
	free_v8r_state(rvdev);
	rpmsg_virtio_v8r_forget_headers();
	rvdev->rvq = NULL;
	rvdev->svq = NULL;
	virtio_delete_virtqueues(rvdev->vdev);
	virtio_v8r_free_owned_vqs(rvdev->vdev);
	metal_mutex_deinit(&rdev->lock);
	rvdev->vdev = NULL;
}
