/*
 * v8r: the wasm entry points TypeScript drives. One instance = one device.
 * Results that do not fit a return value go to g_out (read by TS through
 * the exported memory at v8r_out_ptr()).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <openamp/open_amp.h>
#include <openamp/remoteproc_virtio.h>
#include "_platform.h"
#include "_rpmsg_virtio_internal.h"
#include "v8r_shm_io.h"

V8R_IMPORT(v8r_env, notify) void env_notify(uint32_t id);
/* k: index of the receive buffer, stable while it is held (TypeScript caches one view per buffer). */
V8R_IMPORT(v8r_env, on_message) void env_on_message(uint32_t ept, uint32_t src, uint32_t off, uint32_t len, uint32_t k);
V8R_IMPORT(v8r_env, on_ns_bind) void env_on_ns_bind(const char *name, uint32_t len, uint32_t addr);
V8R_IMPORT(v8r_env, on_bind) void env_on_bind(uint32_t ept, uint32_t dest, uint32_t old_dest);

/* Most vrings a vdev entry may declare. */
#define V8R_MAX_VRINGS 8
#define LAYOUT_STATIC 0
#define LAYOUT_RSC 1
/* Largest buffer: the header's u16 len must hold the whole payload. */
#define V8R_MAX_BUF (0xffffu + RPMSG_HDR_SIZE)

static struct metal_io_region g_io;
static metal_phys_addr_t g_phys;
static struct virtio_device g_svdev;            /* static-vrings device */
static struct virtio_vring_info g_vrings[2];
static struct virtio_device *g_vdev;
static struct rpmsg_virtio_device g_rvdev;
static struct rpmsg_virtio_shm_pool g_pool[2];
static struct rpmsg_virtio_config g_cfg;
static int g_layout, g_inited, g_link_up;
static int g_suppressed; /* v8r_poll() asked the peer not to kick */
static unsigned long g_status_off, g_rsc_off, g_rsc_len;
static uint32_t g_notifications, g_peer_resets;
static uint32_t g_out[16];

static uint8_t st_get_status(struct virtio_device *vdev)
{
	if (vdev->role == VIRTIO_DEV_DRIVER)
		return VIRTIO_CONFIG_STATUS_DRIVER_OK;
	return metal_io_read8(&g_io, g_status_off);
}
static void st_set_status(struct virtio_device *vdev, uint8_t status)
{
	(void)vdev;
	metal_io_write8(&g_io, g_status_off, status);
}
static uint32_t st_get_features(struct virtio_device *vdev)
{
	(void)vdev;
	return 1u << VIRTIO_RPMSG_F_NS;
}
static void st_notify(struct virtqueue *vq) { env_notify(vq->vq_queue_index); }
static const struct virtio_dispatch st_dispatch = {
	.get_status = st_get_status, .set_status = st_set_status, .get_features = st_get_features, .notify = st_notify
};

static int rsc_notify(void *priv, uint32_t id)
{
	(void)priv;
	env_notify(id);
	return 0;
}

static void ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	env_on_ns_bind(name, (uint32_t)rpmsg_v8r_strnlen(name, RPMSG_NAME_SIZE), dest);
}

static void bind_hook(struct rpmsg_endpoint *ept, uint32_t old_dest)
{
	if (ept != &ept->rdev->ns_ept)
		env_on_bind((uint32_t)(uintptr_t)ept, ept->dest_addr, old_dest);
}

static int raw_cb(struct rpmsg_endpoint *ept, unsigned long off, size_t len, uint32_t src)
{
	env_on_message((uint32_t)(uintptr_t)ept, src, (uint32_t)off, (uint32_t)len, (uint32_t)rpmsg_virtio_v8r_current_rx);
	return 0;
}

/* The last reference to a glue endpoint is gone (it may have been destroyed in its own callback). */
static void release_ept(struct rpmsg_endpoint *ept)
{
	free(ept);
}

/* The region over shared memory (no mirror: the glue's callbacks take offsets); 0 or RPMSG_ERR_PARAM. */
static int base_io(uint32_t shm_size, double phys_base)
{
	/* every physical address of the region must fit metal_phys_addr_t (unsigned long: 32 bits on wasm32) */
	if (!(phys_base >= 0) || phys_base + shm_size > (double)(metal_phys_addr_t)-1 + 1.0)
		return RPMSG_ERR_PARAM;
	static int metal_ready;
	if (!metal_ready) {
		struct metal_init_params params = { metal_default_log_handler, METAL_LOG_WARNING };
		metal_init(&params);
		metal_ready = 1;
	}
	g_phys = (metal_phys_addr_t)phys_base;
	v8r_shm_io_init(&g_io, NULL, &g_phys, shm_size);
	return 0;
}

static int bufs_ok(uint32_t h2r, uint32_t r2h)
{
	return h2r > RPMSG_HDR_SIZE && r2h > RPMSG_HDR_SIZE && h2r <= V8R_MAX_BUF && r2h <= V8R_MAX_BUF;
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/*
 * Whether the buffers the host carves (one per descriptor of each vring) stay
 * inside the pool and the region and clear of both vrings, the status byte and
 * the extra range [keep, keep + keep_len) (the resource table).
 */
static int pool_fits(uint32_t pool_off, uint32_t pool_size, uint32_t h2r, uint32_t r2h, unsigned long keep,
		     unsigned long keep_len)
{
	struct virtio_vring_info *vr = g_vdev->vrings_info;
	uint64_t need = (uint64_t)vr[0].info.num_descs * r2h + (uint64_t)vr[1].info.num_descs * h2r;
	if (need > pool_size || (uint64_t)pool_off + need > g_io.size)
		return 0;
	for (int i = 0; i < 2; i++) {
		unsigned long off = metal_io_virt_to_offset(&g_io, vr[i].info.vaddr);
		if (off == METAL_BAD_OFFSET ||
		    overlaps(pool_off, need, off, vring_size(vr[i].info.num_descs, vr[i].info.align)))
			return 0;
	}
	return !overlaps(pool_off, need, g_status_off, 1u) && !overlaps(pool_off, need, keep, keep_len);
}

static int try_init(void)
{
	int ret = rpmsg_virtio_v8r_init(&g_rvdev, g_vdev, ns_bind, &g_io, g_pool, &g_cfg, 0);
	if (ret)
		return ret;
	g_rvdev.rdev.v8r_bind_hook = bind_hook;
	if (g_vdev->role == VIRTIO_DEV_DEVICE) {
		/* no host buffer may cover the status byte or the resource table either */
		struct virtqueue *vqs[2] = { g_rvdev.rvq, g_rvdev.svq };
		for (int i = 0; i < 2; i++) {
			virtqueue_v8r_keep(vqs[i], g_status_off, 1u);
			if (g_layout == LAYOUT_RSC)
				virtqueue_v8r_keep(vqs[i], g_rsc_off, g_rsc_len);
		}
	}
	g_inited = 1;
	g_link_up = 1;
	return 0;
}

V8R_EXPORT(v8r_setup_static)
int v8r_setup_static(uint32_t role, uint32_t shm_size, double phys_base, uint32_t status_off, uint32_t pool_off,
		     uint32_t pool_size, uint32_t vq0_off, uint32_t vq1_off, uint32_t num, uint32_t align,
		     uint32_t h2r, uint32_t r2h)
{
	if (g_vdev || shm_size == 0 || shm_size > V8R_MAX_SHM_SIZE || num == 0 || num > 32768u || !bufs_ok(h2r, r2h) ||
	    status_off >= shm_size || !align ||
	    (align & (align - 1u)) || vq0_off > shm_size || vq1_off > shm_size ||
	    (uint32_t)vring_size(num, align) > shm_size - vq0_off || (uint32_t)vring_size(num, align) > shm_size - vq1_off)
		return RPMSG_ERR_PARAM;
	if (base_io(shm_size, phys_base))
		return RPMSG_ERR_PARAM;
	g_layout = LAYOUT_STATIC;
	g_status_off = status_off;
	memset(&g_svdev, 0, sizeof(g_svdev));
	g_svdev.role = role ? VIRTIO_DEV_DEVICE : VIRTIO_DEV_DRIVER;
	g_svdev.func = &st_dispatch;
	g_svdev.vrings_num = 2;
	g_svdev.vrings_info = g_vrings;
	uint32_t offs[2] = { vq0_off, vq1_off };
	for (int i = 0; i < 2; i++) {
		memset(&g_vrings[i], 0, sizeof(g_vrings[i]));
		g_vrings[i].io = &g_io;
		g_vrings[i].info.vaddr = metal_io_virt(&g_io, offs[i]);
		g_vrings[i].info.num_descs = (uint16_t)num;
		g_vrings[i].info.align = align;
	}
	g_vdev = &g_svdev;
	if (!pool_fits(pool_off, pool_size, h2r, r2h, status_off, 1u)) {
		g_vdev = NULL;
		return RPMSG_ERR_PARAM;
	}
	g_cfg = (struct rpmsg_virtio_config){ h2r, r2h, false };
	if (!role) {
		if (metal_io_read8(&g_io, status_off))
			metal_io_write8(&g_io, status_off, 0);
		rpmsg_virtio_init_shm_pool(&g_pool[0], metal_io_virt(&g_io, pool_off), pool_size);
	}
	return role ? 0 : try_init();
}

/* Find the first vdev entry of the resource table at rsc_off; its offset or METAL_BAD_OFFSET. */
static unsigned long find_vdev(uint32_t rsc_off)
{
	if (rsc_off > g_io.size || g_io.size - rsc_off < sizeof(struct resource_table))
		return METAL_BAD_OFFSET;
	uint32_t n = metal_io_read32(&g_io, rsc_off + 4u);
	if (n > 64u || 16u + 4u * n > g_io.size - rsc_off)
		return METAL_BAD_OFFSET;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t e = metal_io_read32(&g_io, rsc_off + 16u + 4u * i);
		if (e > g_io.size - rsc_off || g_io.size - rsc_off - e < sizeof(struct fw_rsc_vdev))
			continue;
		if (metal_io_read32(&g_io, rsc_off + e) == RSC_VDEV)
			return rsc_off + e;
	}
	return METAL_BAD_OFFSET;
}

static int init_rsc_vrings(unsigned long vdev_off)
{
	for (unsigned int i = 0; i < g_vdev->vrings_num && i < 2; i++) {
		unsigned long v = vdev_off + sizeof(struct fw_rsc_vdev) + sizeof(struct fw_rsc_vdev_vring) * i;
		uint32_t da = metal_io_read32(&g_io, v);
		uint32_t align = metal_io_read32(&g_io, v + 4u);
		uint32_t num = metal_io_read32(&g_io, v + 8u);
		uint32_t nid = metal_io_read32(&g_io, v + 12u);
		unsigned long off = metal_io_phys_to_offset(&g_io, da);
		if (off == METAL_BAD_OFFSET || num == 0 || num > 32768u || (num & (num - 1u)) || !align ||
		    (align & (align - 1u)) || (unsigned long)vring_size(num, align) > g_io.size - off)
			return RPMSG_ERR_PARAM;
		if (rproc_virtio_init_vring(g_vdev, i, nid, metal_io_virt(&g_io, off), &g_io, num, align))
			return RPMSG_ERR_PARAM;
	}
	return g_vdev->vrings_num >= 2 ? 0 : RPMSG_ERR_PARAM;
}

V8R_EXPORT(v8r_setup_rsc)
int v8r_setup_rsc(uint32_t role, uint32_t shm_size, double phys_base, uint32_t rsc_off, uint32_t pool_off,
		  uint32_t pool_size, uint32_t h2r, uint32_t r2h)
{
	if (g_vdev || shm_size == 0 || shm_size > V8R_MAX_SHM_SIZE || !bufs_ok(h2r, r2h) || base_io(shm_size, phys_base))
		return RPMSG_ERR_PARAM;
	g_layout = LAYOUT_RSC;
	unsigned long vdev_off = find_vdev(rsc_off);
	if (vdev_off == METAL_BAD_OFFSET)
		return RPMSG_ERR_PARAM;
	/* an RPMsg vdev has two vrings; more than a few means a corrupt entry */
	unsigned int nvrings = metal_io_read8(&g_io, vdev_off + offsetof(struct fw_rsc_vdev, num_of_vrings));
	if (nvrings < 2 || nvrings > V8R_MAX_VRINGS)
		return RPMSG_ERR_PARAM;
	g_status_off = vdev_off + offsetof(struct fw_rsc_vdev, status);
	g_rsc_off = rsc_off;
	g_rsc_len = vdev_off + sizeof(struct fw_rsc_vdev) + 2u * sizeof(struct fw_rsc_vdev_vring) - rsc_off;
	if (!role && metal_io_read8(&g_io, g_status_off))
		metal_io_write8(&g_io, g_status_off, 0);
	uint32_t vnid = metal_io_read32(&g_io, vdev_off + offsetof(struct fw_rsc_vdev, notifyid));
	g_vdev = rproc_virtio_create_vdev(role ? VIRTIO_DEV_DEVICE : VIRTIO_DEV_DRIVER, vnid,
					  metal_io_virt(&g_io, vdev_off), &g_io, NULL, rsc_notify, NULL);
	if (!g_vdev)
		return RPMSG_ERR_PARAM;
	int ret = init_rsc_vrings(vdev_off);
	if (!ret && !pool_fits(pool_off, pool_size, h2r, r2h, g_rsc_off, g_rsc_len))
		ret = RPMSG_ERR_PARAM;
	if (ret) {
		rproc_virtio_remove_vdev(g_vdev);
		g_vdev = NULL;
		return ret;
	}
	g_cfg = (struct rpmsg_virtio_config){ h2r, r2h, false };
	if (!role)
		rpmsg_virtio_init_shm_pool(&g_pool[0], metal_io_virt(&g_io, pool_off), pool_size);
	return role ? 0 : try_init();
}

#include "_v8r_glue_ops.inc"
