/* The twin's platform: remoteproc ops over the v8r_shm region, notifications queued for twin_pump(). */
#include <string.h>
#include <metal/device.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include "../../csrc/v8r_shm_io.h"
#include "../platform_native.h"
#include "twin.h"

struct machine twin_host = { .name = "host" }, twin_remote = { .name = "remote" };

METAL_PACKED_BEGIN
struct twin_rsc_table {
	uint32_t ver;
	uint32_t num;
	uint32_t reserved[2];
	uint32_t offset[4];
	struct fw_rsc_carveout carveout;
	struct fw_rsc_vdev vdev;
	struct fw_rsc_vdev_vring vring0;
	struct fw_rsc_vdev_vring vring1;
	uint8_t config[8];
	struct fw_rsc_trace trace;
	struct fw_rsc_vendor vendor;
	uint8_t vendor_data[8];
} METAL_PACKED_END;

static const struct twin_rsc_table table = {
	.ver = 1,
	.num = 4,
	.offset = { offsetof(struct twin_rsc_table, carveout), offsetof(struct twin_rsc_table, vdev),
		    offsetof(struct twin_rsc_table, trace), offsetof(struct twin_rsc_table, vendor) },
	.carveout = { RSC_CARVEOUT, TWIN_SHM_PA, TWIN_SHM_PA, TWIN_SHM_SIZE, 0, 0, "shm" },
	.vdev = { .type = RSC_VDEV, .id = VIRTIO_ID_RPMSG, .notifyid = RSC_NOTIFY_ID_ANY,
		  .dfeatures = 1u << VIRTIO_RPMSG_F_NS, .config_len = 8, .num_of_vrings = 2 },
	.vring0 = { TWIN_SHM_PA + TWIN_VRING0, TWIN_ALIGN, TWIN_NUM, RSC_NOTIFY_ID_ANY, 0 },
	.vring1 = { TWIN_SHM_PA + TWIN_VRING1, TWIN_ALIGN, TWIN_NUM, RSC_NOTIFY_ID_ANY, 0 },
	.trace = { RSC_TRACE, 0, 0, 0, "trace" },
	.vendor = { RSC_VENDOR_START + 2, sizeof(struct fw_rsc_vendor) + 8 },
	.vendor_data = { 1, 2, 3, 4, 5, 6, 7, 8 },
};

static struct remoteproc *op_init(struct remoteproc *rproc, const struct remoteproc_ops *ops, void *arg)
{
	rproc->ops = ops;
	rproc->priv = arg;
	return rproc;
}

static void op_remove(struct remoteproc *rproc)
{
	rproc->priv = NULL;
}

/* Only the shared-memory block maps; the first request adds it as the remote's memory. */
static void *op_mmap(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da, size_t size,
		     unsigned int attribute, struct metal_io_region **io)
{
	struct machine *m = rproc->priv;
	metal_phys_addr_t a = *pa != METAL_BAD_PHYS ? *pa : *da;
	(void)attribute;
	if (a < TWIN_SHM_PA || a - TWIN_SHM_PA >= TWIN_SHM_SIZE || size > TWIN_SHM_SIZE - (a - TWIN_SHM_PA))
		return NULL;
	remoteproc_init_mem(&m->mem, "shm", TWIN_SHM_PA, TWIN_SHM_PA, TWIN_SHM_SIZE, &m->io);
	remoteproc_add_mem(rproc, &m->mem);
	*pa = *da = a;
	if (io)
		*io = &m->io;
	return metal_io_phys_to_virt(&m->io, a);
}

/* The vendor entry: read through the pointer (the mirror holds it), then mark it handled in place. */
static int op_handle_rsc(struct remoteproc *rproc, void *rsc, size_t len)
{
	struct machine *m = rproc->priv;
	struct fw_rsc_vendor *v = rsc;
	unsigned char *data = (unsigned char *)rsc + sizeof(*v);
	CHECK(len == sizeof(*v) + 8 && v->type == RSC_VENDOR_START + 2 && data[1] == 2 && data[7] == 8);
	data[0] = 0x42;
	m->vendor_entries++;
	return 0;
}

static int op_config(struct remoteproc *rproc, void *data)
{
	((struct machine *)rproc->priv)->configs++;
	return data ? -RPROC_EINVAL : 0;
}

static int op_start(struct remoteproc *rproc)
{
	((struct machine *)rproc->priv)->starts++;
	return 0;
}

static int op_stop(struct remoteproc *rproc)
{
	((struct machine *)rproc->priv)->stops++;
	return 0;
}

static int op_shutdown(struct remoteproc *rproc)
{
	((struct machine *)rproc->priv)->shutdowns++;
	return 0;
}

static int op_notify(struct remoteproc *rproc, uint32_t id)
{
	struct machine *peer = ((struct machine *)rproc->priv)->peer;
	CHECK(peer->npending < 256);
	peer->pending[peer->npending++] = id;
	return 0;
}

static const struct remoteproc_ops twin_ops = {
	.init = op_init,
	.remove = op_remove,
	.mmap = op_mmap,
	.handle_rsc = op_handle_rsc,
	.config = op_config,
	.start = op_start,
	.stop = op_stop,
	.shutdown = op_shutdown,
	.notify = op_notify,
};

void twin_boot(void)
{
	native_shm_size = TWIN_SHM_SIZE;
	native_shm = calloc(1, TWIN_SHM_SIZE);
	CHECK(native_shm);
	twin_host.peer = &twin_remote;
	twin_remote.peer = &twin_host;
	struct machine *ms[2] = { &twin_host, &twin_remote };
	for (int i = 0; i < 2; i++) {
		ms[i]->mirror = aligned_alloc(0x10000, TWIN_SHM_SIZE);
		CHECK(ms[i]->mirror);
		ms[i]->phys = TWIN_SHM_PA;
		v8r_shm_io_init(&ms[i]->io, ms[i]->mirror, &ms[i]->phys, TWIN_SHM_SIZE);
	}
	CHECK(metal_io_block_write(&twin_host.io, 0, &table, sizeof(table)) == (int)sizeof(table));
}

/* remoteproc set-up common to both roles: the table at offset 0 of the shared memory. */
static void rproc_up(struct machine *m)
{
	CHECK(remoteproc_init(&m->rproc, &twin_ops, m) == &m->rproc);
	metal_phys_addr_t pa = TWIN_SHM_PA;
	struct metal_io_region *io = NULL;
	void *rsc = remoteproc_mmap(&m->rproc, &pa, NULL, sizeof(table), 0, &io);
	CHECK(rsc == m->mirror && io == &m->io);
	CHECK(remoteproc_set_rsc_table(&m->rproc, rsc, sizeof(table)) == 0);
	CHECK(remoteproc_config(&m->rproc, NULL) == 0 && m->rproc.state == RPROC_READY);
	CHECK(remoteproc_start(&m->rproc) == 0 && m->rproc.state == RPROC_RUNNING);
}

void twin_host_up(rpmsg_ns_bind_cb ns_bind)
{
	struct machine *m = &twin_host;
	rproc_up(m);
	/* the host allocated the notify ids the table left open, and handled the vendor entry in place */
	CHECK(metal_io_read32(&m->io, offsetof(struct twin_rsc_table, vdev.notifyid)) == 0);
	CHECK(metal_io_read32(&m->io, offsetof(struct twin_rsc_table, vring0.notifyid)) == 1);
	CHECK(metal_io_read32(&m->io, offsetof(struct twin_rsc_table, vring1.notifyid)) == 2);
	CHECK(m->vendor_entries == 1 && metal_io_read8(&m->io, offsetof(struct twin_rsc_table, vendor_data)) == 0x42);
	m->vdev = remoteproc_create_virtio(&m->rproc, 0, VIRTIO_DEV_DRIVER, NULL);
	CHECK(m->vdev && remoteproc_create_virtio(&m->rproc, 0, VIRTIO_DEV_DRIVER, NULL) == m->vdev);
	metal_phys_addr_t rx = TWIN_SHM_PA + TWIN_RX_POOL, tx = TWIN_SHM_PA + TWIN_TX_POOL;
	rpmsg_virtio_init_shm_pool(&m->pools[0], remoteproc_mmap(&m->rproc, &rx, NULL, TWIN_POOL_SIZE, 0, NULL),
				   TWIN_POOL_SIZE);
	rpmsg_virtio_init_shm_pool(&m->pools[1], remoteproc_mmap(&m->rproc, &tx, NULL, TWIN_POOL_SIZE, 0, NULL),
				   TWIN_POOL_SIZE);
	const struct rpmsg_virtio_config cfg = { .h2r_buf_size = 256, .r2h_buf_size = 512, .split_shpool = true };
	CHECK(rpmsg_init_vdev_with_config(&m->rvdev, m->vdev, ns_bind, &m->io, m->pools, &cfg) == 0);
	/* split pools: the receive buffers came from the first, the transmit buffers come from the second */
	CHECK(m->pools[0].avail == TWIN_POOL_SIZE - TWIN_NUM * 512u && m->pools[1].avail == TWIN_POOL_SIZE);
}

void twin_remote_up(void)
{
	struct machine *m = &twin_remote;
	rproc_up(m);
	m->vdev = remoteproc_create_virtio(&m->rproc, 0, VIRTIO_DEV_DEVICE, NULL);
	CHECK(m->vdev);
	CHECK(rpmsg_init_vdev(&m->rvdev, m->vdev, NULL, &m->io, NULL) == 0);
}

void twin_pump(void)
{
	for (int round = 0; round < 1000 && (twin_host.npending || twin_remote.npending); round++) {
		struct machine *ms[2] = { &twin_host, &twin_remote };
		for (int i = 0; i < 2; i++) {
			struct machine *m = ms[i];
			if (!m->npending)
				continue;
			uint32_t id = m->pending[0];
			memmove(m->pending, m->pending + 1, --m->npending * sizeof(m->pending[0]));
			CHECK(remoteproc_get_notification(&m->rproc, id) == 0);
		}
	}
}

void twin_down(void)
{
	struct machine *ms[2] = { &twin_remote, &twin_host };
	for (int i = 0; i < 2; i++) {
		struct machine *m = ms[i];
		rpmsg_deinit_vdev(&m->rvdev);
		remoteproc_remove_virtio(&m->rproc, m->vdev);
		CHECK(remoteproc_remove(&m->rproc) == -RPROC_EAGAIN); /* still running */
		CHECK(remoteproc_stop(&m->rproc) == 0 && m->rproc.state == RPROC_STOPPED && m->stops == 1);
		CHECK(remoteproc_shutdown(&m->rproc) == 0 && m->rproc.state == RPROC_OFFLINE && m->shutdowns == 1);
		CHECK(remoteproc_remove(&m->rproc) == 0 && m->rproc.priv == NULL);
		free(m->mirror);
	}
	free(native_shm);
}
