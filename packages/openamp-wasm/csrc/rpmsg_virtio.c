/*
 * v8r OpenAMP subset: RPMsg over virtio, set-up and queries.
 * Host (driver) owns every buffer; remote (device) never allocates.
 */
#include <string.h>
#include <metal/alloc.h>
#include <metal/sleep.h>
#include <openamp/rpmsg_virtio.h>
#include "_rpmsg_internal.h"
#include "_rpmsg_virtio_internal.h"

void rpmsg_virtio_init_shm_pool(struct rpmsg_virtio_shm_pool *shpool, void *shbuf, size_t size)
{
	if (!shpool || !shbuf)
		return;
	shpool->base = shbuf;
	shpool->size = size;
	shpool->avail = size;
}

void *rpmsg_virtio_shm_pool_get_buffer(struct rpmsg_virtio_shm_pool *shpool, size_t size)
{
	if (!shpool || !shpool->base || shpool->avail < size)
		return NULL;
	void *buf = (void *)((uintptr_t)shpool->base + (shpool->size - shpool->avail));
	shpool->avail -= size;
	return buf;
}

struct rpmsg_device *rpmsg_virtio_get_rpmsg_device(struct rpmsg_virtio_device *rvdev)
{
	return rvdev ? &rvdev->rdev : NULL;
}

int rpmsg_virtio_get_tx_buffer_size(struct rpmsg_device *rdev)
{
	if (!rdev)
		return RPMSG_ERR_PARAM;
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int size;
	if (v8r_is_host(rvdev))
		size = (int)rvdev->config.h2r_buf_size - (int)RPMSG_HDR_SIZE;
	else
		size = (int)virtqueue_get_desc_size(rvdev->svq) - (int)RPMSG_HDR_SIZE;
	return size <= 0 ? RPMSG_ERR_NO_BUFF : size;
}

int rpmsg_virtio_get_rx_buffer_size(struct rpmsg_device *rdev)
{
	if (!rdev)
		return RPMSG_ERR_PARAM;
	struct rpmsg_virtio_device *rvdev = v8r_to_rvdev(rdev);
	int size;
	if (v8r_is_host(rvdev))
		size = (int)rvdev->config.r2h_buf_size - (int)RPMSG_HDR_SIZE;
	else
		size = (int)virtqueue_get_desc_size(rvdev->rvq) - (int)RPMSG_HDR_SIZE;
	return size <= 0 ? RPMSG_ERR_NO_BUFF : size;
}

int rpmsg_virtio_get_buffer_size(struct rpmsg_device *rdev)
{
	return rpmsg_virtio_get_tx_buffer_size(rdev);
}

static int post_rx_buffers(struct rpmsg_virtio_device *rvdev)
{
	struct virtqueue *rvq = rvdev->rvq;
	struct metal_io_region *io = rvdev->shbuf_io;
	uint32_t size = rvdev->config.r2h_buf_size;
	for (unsigned int i = 0; i < rvq->vq_nentries; i++) {
		void *buf = rpmsg_virtio_shm_pool_get_buffer(rvdev->v8r_rx_pool, size);
		if (!buf)
			return RPMSG_ERR_NO_BUFF;
		unsigned long off = metal_io_virt_to_offset(io, buf);
		if (off == METAL_BAD_OFFSET || size > io->size - off)
			return RPMSG_ERR_PARAM;
		if (i == 0)
			rvdev->v8r_rx_base = off;
		metal_io_block_set(io, off, 0, (int)size);
		struct virtqueue_buf vb = { buf, (int)size };
		if (virtqueue_add_buffer(rvq, &vb, 0, 1, buf))
			return RPMSG_ERR_NO_BUFF;
	}
	return 0;
}

static void free_v8r_state(struct rpmsg_virtio_device *rvdev)
{
	metal_free_memory(rvdev->v8r_tx);
	metal_free_memory(rvdev->v8r_rx_held);
	metal_free_memory(rvdev->v8r_bounce);
	metal_free_memory(rvdev->v8r_tx_bounce);
	rvdev->v8r_tx = NULL;
	rvdev->v8r_rx_held = NULL;
	rvdev->v8r_bounce = NULL;
	rvdev->v8r_tx_bounce = NULL;
}

static int alloc_v8r_state(struct rpmsg_virtio_device *rvdev)
{
	unsigned int nrx = rvdev->rvq->vq_nentries;
	unsigned int ntx = rvdev->svq->vq_nentries;
	rvdev->v8r_rx_held = metal_allocate_memory(nrx);
	rvdev->v8r_tx = metal_allocate_memory((unsigned int)(ntx * sizeof(*rvdev->v8r_tx)));
	if (!rvdev->v8r_rx_held || !rvdev->v8r_tx)
		return RPMSG_ERR_NO_MEM;
	memset(rvdev->v8r_rx_held, 0, nrx);
	memset(rvdev->v8r_tx, 0, ntx * sizeof(*rvdev->v8r_tx));
	return 0;
}

static int setup_queues(struct rpmsg_virtio_device *rvdev)
{
	struct virtio_device *vdev = rvdev->vdev;
	const char *names[2];
	vq_callback cbs[2];
	if (v8r_is_host(rvdev)) {
		names[0] = "rx_vq";
		names[1] = "tx_vq";
		cbs[0] = rpmsg_virtio_v8r_rx_callback;
		cbs[1] = NULL;
	} else {
		names[0] = "tx_vq";
		names[1] = "rx_vq";
		cbs[0] = NULL;
		cbs[1] = rpmsg_virtio_v8r_rx_callback;
	}
	int ret = virtio_create_virtqueues(vdev, 0, 2, names, cbs, NULL);
	if (ret)
		return ret;
	rvdev->rvq = vdev->vrings_info[v8r_is_host(rvdev) ? 0 : 1].vq;
	rvdev->svq = vdev->vrings_info[v8r_is_host(rvdev) ? 1 : 0].vq;
	return alloc_v8r_state(rvdev);
}

/* Device: take the used index in shared memory as the position reached so far. */
static void adopt_ring_position(struct virtqueue *vq)
{
	uint16_t used = metal_io_read16(vq->shm_io, vq->vq_ring.used + VRING_USED_IDX);
	vq->vq_used_cons_idx = used;
	vq->vq_available_idx = used;
}

static uint8_t read_status(struct virtio_device *vdev)
{
	return vdev->func && vdev->func->get_status ? vdev->func->get_status(vdev) : 0;
}

/* Features: the device reads what the driver negotiated; the driver takes what the device offers. */
static uint32_t negotiate(struct rpmsg_virtio_device *rvdev)
{
	struct virtio_device *vdev = rvdev->vdev;
	uint32_t features = vdev->func && vdev->func->get_features ? vdev->func->get_features(vdev) : 0;
	if (v8r_is_host(rvdev) && vdev->func && vdev->func->set_features)
		vdev->func->set_features(vdev, features);
	return features;
}

int rpmsg_virtio_v8r_init(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
			  rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
			  struct rpmsg_virtio_shm_pool *shpool, const struct rpmsg_virtio_config *config, int wait_ready)
{
	if (!rvdev || !vdev || !shm_io || vdev->vrings_num < 2)
		return RPMSG_ERR_PARAM;
	if (vdev->role == VIRTIO_DEV_DEVICE) {
		while (!(read_status(vdev) & VIRTIO_CONFIG_STATUS_DRIVER_OK)) {
			if (!wait_ready)
				return RPMSG_ERR_DEV_STATE;
			metal_sleep_usec(1000);
		}
	} else if (!shpool) {
		return RPMSG_ERR_PARAM;
	}
	memset(rvdev, 0, sizeof(*rvdev));
	rvdev->vdev = vdev;
	vdev->priv = rvdev;
	rvdev->shbuf_io = shm_io;
	metal_list_init(&rvdev->reclaimer);
	rvdev->config = config ? *config : *RPMSG_VIRTIO_DEFAULT_CONFIG;
	rvdev->shpool = shpool;
	rvdev->v8r_rx_pool = shpool && rvdev->config.split_shpool ? shpool + 1 : shpool;
	struct rpmsg_device *rdev = &rvdev->rdev;
	metal_list_init(&rdev->endpoints);
	metal_mutex_init(&rdev->lock);
	rdev->ns_bind_cb = ns_bind_cb;
	rpmsg_virtio_v8r_set_ops(rdev);
	vdev->features = negotiate(rvdev);
	rdev->support_ns = (vdev->features >> VIRTIO_RPMSG_F_NS) & 1u;
	int ret = setup_queues(rvdev);
	if (!ret && !v8r_is_host(rvdev)) {
		/* A restarted remote resumes where the rings are (0 after a host init). */
		adopt_ring_position(rvdev->rvq);
		adopt_ring_position(rvdev->svq);
		/* The host's buffers must not cover either ring; the remote writes into its send buffers. */
		struct virtqueue *vqs[2] = { rvdev->rvq, rvdev->svq };
		for (int i = 0; i < 2; i++)
			for (int j = 0; j < 2; j++)
				virtqueue_v8r_keep(vqs[i], vqs[j]->vq_ring.desc, virtqueue_v8r_ring_bytes(vqs[j]));
		rvdev->svq->vq_v8r_need_write = 1;
	}
	if (!ret) {
		virtqueue_disable_cb(rvdev->svq);
		if (v8r_is_host(rvdev))
			ret = post_rx_buffers(rvdev);
	}
	if (ret) {
		free_v8r_state(rvdev);
		virtio_delete_virtqueues(vdev);
		return ret;
	}
	if (rdev->support_ns)
		rpmsg_register_endpoint(rdev, &rdev->ns_ept, "NS", RPMSG_NS_EPT_ADDR, RPMSG_NS_EPT_ADDR, NULL, NULL);
	if (v8r_is_host(rvdev) && vdev->func && vdev->func->set_status)
		vdev->func->set_status(vdev, VIRTIO_CONFIG_STATUS_DRIVER_OK);
	return RPMSG_SUCCESS;
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
	return rpmsg_virtio_v8r_init(rvdev, vdev, ns_bind_cb, shm_io, shpool, NULL, 1);
}

void rpmsg_deinit_vdev(struct rpmsg_virtio_device *rvdev)
{
	if (!rvdev || !rvdev->vdev)
		return;
	struct rpmsg_device *rdev = &rvdev->rdev;
	while (!metal_list_is_empty(&rdev->endpoints)) {
		struct rpmsg_endpoint *ept = metal_container_of(rdev->endpoints.next, struct rpmsg_endpoint, node);
		rpmsg_unregister_endpoint(ept);
	}
	free_v8r_state(rvdev);
	virtio_delete_virtqueues(rvdev->vdev);
	rvdev->rvq = NULL;
	rvdev->svq = NULL;
	rvdev->vdev = NULL;
}

/* The first endpoint a peer reset still has to unbind, or NULL. */
static struct rpmsg_endpoint *next_to_unbind(struct rpmsg_device *rdev)
{
	struct metal_list *node;
	metal_list_for_each(&rdev->endpoints, node) {
		struct rpmsg_endpoint *ept = metal_container_of(node, struct rpmsg_endpoint, node);
		if (ept != &rdev->ns_ept && !ept->v8r_fixed_dest && ept->dest_addr != RPMSG_ADDR_ANY)
			return ept;
	}
	return NULL;
}

void rpmsg_virtio_v8r_peer_reset(struct rpmsg_virtio_device *rvdev)
{
	virtqueue_v8r_reset(rvdev->rvq);
	virtqueue_v8r_reset(rvdev->svq);
	memset(rvdev->v8r_rx_held, 0, rvdev->rvq->vq_nentries);
	if (!v8r_is_host(rvdev)) {
		/* the host took every buffer back: the remote's lent and reclaimed ones are gone */
		memset(rvdev->v8r_tx, 0, rvdev->svq->vq_nentries * sizeof(*rvdev->v8r_tx));
		metal_list_init(&rvdev->reclaimer);
	}
	struct rpmsg_device *rdev = &rvdev->rdev;
	struct metal_list *node;
	metal_list_for_each(&rdev->endpoints, node) {
		struct rpmsg_endpoint *ept = metal_container_of(node, struct rpmsg_endpoint, node);
		if (ept != &rdev->ns_ept && !ept->v8r_fixed_dest)
			ept->v8r_ns_pending = ept->name[0] && rdev->support_ns;
	}
	/*
	 * The bind hook may destroy any endpoint or tear the device down, so no
	 * list position is kept across it: every round starts from the head.
	 */
	for (unsigned int guard = 0; guard < 65536u && rvdev->rvq; guard++) {
		struct rpmsg_endpoint *ept = next_to_unbind(rdev);
		if (!ept)
			break;
		rpmsg_v8r_set_dest(ept, RPMSG_ADDR_ANY);
	}
}

void rpmsg_virtio_v8r_flush_ns(struct rpmsg_virtio_device *rvdev)
{
	struct rpmsg_device *rdev = &rvdev->rdev;
	struct metal_list *node;
	metal_list_for_each(&rdev->endpoints, node) {
		struct rpmsg_endpoint *ept = metal_container_of(node, struct rpmsg_endpoint, node);
		if (!ept->v8r_ns_pending)
			continue;
		if (rpmsg_send_ns_message(ept, RPMSG_NS_CREATE, 0))
			return;
		ept->v8r_ns_pending = 0;
	}
}

uint32_t rpmsg_virtio_v8r_bad_entries(struct rpmsg_virtio_device *rvdev)
{
	return rvdev->rvq->vq_bad_entries + rvdev->svq->vq_bad_entries + rvdev->rdev.v8r_ns_dropped +
	       rvdev->v8r_stats.dropped_malformed;
}

int rpmsg_virtio_v8r_free_tx(struct rpmsg_virtio_device *rvdev)
{
	struct virtqueue *svq = rvdev->svq;
	unsigned int reclaimed = 0;
	struct metal_list *node;
	metal_list_for_each(&rvdev->reclaimer, node)
		reclaimed++;
	if (v8r_is_host(rvdev)) {
		unsigned int lent = 0;
		for (unsigned int i = 0; i < rvdev->v8r_tx_carved; i++)
			lent += rvdev->v8r_tx[i].state == V8R_TX_LENT;
		/* never carved + returned by the peer but not yet reclaimed + released unsent */
		unsigned int in_ring = svq->vq_nentries - svq->vq_free_cnt;
		uint16_t used = metal_io_read16(svq->shm_io, svq->vq_ring.used + VRING_USED_IDX);
		unsigned int returned = (uint16_t)(used - svq->vq_used_cons_idx);
		if (returned > in_ring)
			returned = in_ring;
		return (int)(svq->vq_nentries - in_ring - lent + returned);
	}
	uint16_t avail = metal_io_read16(svq->shm_io, svq->vq_ring.avail + VRING_AVAIL_IDX);
	unsigned int pending = (uint16_t)(avail - svq->vq_available_idx);
	return (int)((pending > svq->vq_nentries ? 0 : pending) + reclaimed);
}
