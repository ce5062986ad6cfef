/*
 * v8r machine port: an RPMsg link described by a resource table at offset 0
 * of the region (vrings=rsc_table), set up through the remoteproc API. The
 * host installs the table, as a remoteproc loader copies a firmware's table
 * into shared memory; the remote waits until the host set DRIVER_OK in it.
 * The host's buffer pool and the vrings sit after the table as in the static
 * layout; the host hands out the notify ids.
 */
#include <stddef.h>
#include <openamp/remoteproc_virtio.h>
#include "_machine.h"

METAL_PACKED_BEGIN
struct v8r_rsc_table {
	uint32_t ver;
	uint32_t num;
	uint32_t reserved[2];
	uint32_t offset[1];
	struct fw_rsc_vdev vdev;
	struct fw_rsc_vdev_vring vring0;
	struct fw_rsc_vdev_vring vring1;
} METAL_PACKED_END;

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

/* Only the region maps (physical == device address); the first mapping adds it as the remote's memory. */
static void *op_mmap(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da, size_t size,
		     unsigned int attribute, struct metal_io_region **io)
{
	struct v8r_link *link = rproc->priv;
	struct v8r_platform *p = link->plat;
	metal_phys_addr_t a = *pa != METAL_BAD_PHYS ? *pa : *da;
	(void)attribute;
	if (a < p->phys || a - p->phys >= p->size || size > p->size - (a - p->phys))
		return NULL;
	if (!link->mem.io) {
		remoteproc_init_mem(&link->mem, "shm", p->phys, p->phys, p->size, &p->io);
		remoteproc_add_mem(rproc, &link->mem);
	}
	*pa = *da = a;
	if (io)
		*io = &p->io;
	return metal_io_phys_to_virt(&p->io, a);
}

static int op_notify(struct remoteproc *rproc, uint32_t id)
{
	(void)rproc;
	(void)id; /* one event channel: the peer processes every vring */
	v8r_port_notify();
	return 0;
}

static int op_noop(struct remoteproc *rproc)
{
	(void)rproc;
	return 0;
}

static const struct remoteproc_ops ops = {
	.init = op_init,
	.remove = op_remove,
	.mmap = op_mmap,
	.start = op_noop,
	.stop = op_noop,
	.shutdown = op_noop,
	.notify = op_notify,
};

/* The host's table: one RPMsg vdev with name service, its vrings where the layout puts them. */
static void install_table(struct v8r_platform *p)
{
	const struct v8r_layout *l = &p->layout;
	struct v8r_rsc_table t = {
		.ver = 1,
		.num = 1,
		.offset = { offsetof(struct v8r_rsc_table, vdev) },
		.vdev = { .type = RSC_VDEV, .id = VIRTIO_ID_RPMSG, .notifyid = RSC_NOTIFY_ID_ANY,
			  .dfeatures = 1u << VIRTIO_RPMSG_F_NS, .num_of_vrings = 2 },
		.vring0 = { (uint32_t)p->phys + l->vring0_off, V8R_ALIGN, l->num, RSC_NOTIFY_ID_ANY, 0 },
		.vring1 = { (uint32_t)p->phys + l->vring1_off, V8R_ALIGN, l->num, RSC_NOTIFY_ID_ANY, 0 },
	};
	metal_io_block_write(&p->io, 0, &t, sizeof(t));
}

static int rproc_up(struct v8r_link *link)
{
	struct v8r_platform *p = link->plat;
	if (remoteproc_init(&link->rproc, &ops, link) != &link->rproc)
		return RPMSG_ERR_INIT;
	metal_phys_addr_t pa = p->phys;
	void *rsc = remoteproc_mmap(&link->rproc, &pa, NULL, sizeof(struct v8r_rsc_table), 0, NULL);
	int ret = rsc ? remoteproc_set_rsc_table(&link->rproc, rsc, sizeof(struct v8r_rsc_table)) : RPMSG_ERR_PARAM;
	if (!ret)
		ret = remoteproc_config(&link->rproc, NULL);
	if (!ret)
		ret = remoteproc_start(&link->rproc);
	if (!ret)
		link->vdev = remoteproc_create_virtio(&link->rproc, 0, link->role, link->rst_cb);
	if (!ret && !link->vdev)
		ret = RPMSG_ERR_INIT;
	if (ret)
		remoteproc_remove(&link->rproc);
	return ret;
}

int v8r_rsc_create(struct v8r_link *link, rpmsg_ns_bind_cb ns_bind_cb)
{
	struct v8r_platform *p = link->plat;
	if (link->role == VIRTIO_DEV_DEVICE)
		v8r_wait_driver_ok(p, offsetof(struct v8r_rsc_table, vdev.status));
	else
		install_table(p);
	int ret = rproc_up(link);
	if (ret)
		return ret;
	if (link->role == VIRTIO_DEV_DEVICE) {
		ret = rpmsg_init_vdev(&link->rvdev, link->vdev, ns_bind_cb, &p->io, NULL);
	} else {
		metal_phys_addr_t pool = p->phys + p->layout.pool_off;
		void *base = remoteproc_mmap(&link->rproc, &pool, NULL, p->layout.pool_size, 0, NULL);
		rpmsg_virtio_init_shm_pool(&link->pool, base, p->layout.pool_size);
		ret = base ? rpmsg_init_vdev(&link->rvdev, link->vdev, ns_bind_cb, &p->io, &link->pool)
			   : RPMSG_ERR_PARAM;
	}
	if (ret)
		v8r_rsc_release(link);
	return ret;
}

void v8r_rsc_process(struct v8r_link *link)
{
	remoteproc_get_notification(&link->rproc, RSC_NOTIFY_ID_ANY);
}

void v8r_rsc_release(struct v8r_link *link)
{
	if (link->vdev)
		remoteproc_remove_virtio(&link->rproc, link->vdev);
	link->vdev = NULL;
	remoteproc_stop(&link->rproc);
	remoteproc_shutdown(&link->rproc);
	remoteproc_remove(&link->rproc);
}
