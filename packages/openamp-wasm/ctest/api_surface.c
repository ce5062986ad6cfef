/*
 * Compile-only check: the OpenAMP/libmetal subset v8r provides, used the way
 * upstream applications use it (names, argument order, struct members).
 */
#include <metal/alloc.h>
#include <metal/io.h>
#include <metal/irq.h>
#include <metal/log.h>
#include <metal/sleep.h>
#include <metal/sys.h>
#include <openamp/open_amp.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>

static int cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)data; (void)len; (void)src; (void)priv;
	return rpmsg_send(ept, "x", 1);
}
static void unbind(struct rpmsg_endpoint *ept) { rpmsg_destroy_ept(ept); }
static void bind(struct rpmsg_device *rdev, const char *name, uint32_t dest) { (void)rdev; (void)name; (void)dest; }
static int notify(void *priv, uint32_t id) { (void)priv; (void)id; return 0; }
static int irq(int n, void *arg) { (void)n; (void)arg; return METAL_IRQ_HANDLED; }
static int wait_cb(struct rpmsg_device *rdev, uint32_t id) { (void)rdev; (void)id; return RPMSG_EOPNOTSUPP; }

int v8r_api_surface(struct metal_io_region *io, void *shm);
int v8r_api_surface(struct metal_io_region *io, void *shm)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	int r = metal_init(&params);
	metal_log(METAL_LOG_INFO, "%s %d\n", "v8r", r);
	metal_io_init(io, shm, NULL, 0x10000, (unsigned int)-1, 0, NULL);
	r += (int)metal_io_read32(io, 0) + metal_io_read8(io, 1) + metal_io_read16(io, 2) + (int)metal_io_read64(io, 8);
	metal_io_write8(io, 0, 1);
	metal_io_write16(io, 0, 1);
	metal_io_write32(io, 0, 1);
	metal_io_write64(io, 0, 1);
	char buf[8];
	r += metal_io_block_read(io, 0, buf, 8) + metal_io_block_write(io, 0, buf, 8) + metal_io_block_set(io, 0, 0, 8);
	r += (int)metal_io_virt_to_offset(io, metal_io_virt(io, 4)) + (int)metal_io_phys(io, 4);
	metal_irq_register(1, irq, NULL);
	metal_sleep_usec(1);
	void *mem = metal_allocate_memory(16);
	metal_free_memory(mem);

	struct virtio_device *vdev = rproc_virtio_create_vdev(RPMSG_HOST, 0, shm, io, NULL, notify, NULL);
	rproc_virtio_init_vring(vdev, 0, 1, metal_io_virt(io, 0x4000), io, 256, 0x1000);
	struct rpmsg_virtio_shm_pool pool;
	rpmsg_virtio_init_shm_pool(&pool, metal_io_virt(io, 0x10000), 0x40000);
	struct rpmsg_virtio_device rvdev;
	struct rpmsg_virtio_config cfg = { RPMSG_BUFFER_SIZE, RPMSG_BUFFER_SIZE, false };
	r += rpmsg_init_vdev(&rvdev, vdev, bind, io, &pool);
	r += rpmsg_init_vdev_with_config(&rvdev, vdev, bind, io, &pool, &cfg);
	rpmsg_virtio_set_wait_cb(&rvdev, wait_cb);
	struct rpmsg_device *rdev = rpmsg_virtio_get_rpmsg_device(&rvdev);
	struct rpmsg_endpoint ept;
	r += rpmsg_create_ept(&ept, rdev, "svc", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, cb, unbind);
	r += rpmsg_send(&ept, "a", 1) + rpmsg_sendto(&ept, "a", 1, 5) + rpmsg_send_offchannel(&ept, 1, 2, "a", 1);
	r += rpmsg_trysend(&ept, "a", 1) + rpmsg_trysendto(&ept, "a", 1, 5) + rpmsg_trysend_offchannel(&ept, 1, 2, "a", 1);
	r += rpmsg_send_offchannel_raw(&ept, 1, 2, "a", 1, true);
	uint32_t len;
	void *tx = rpmsg_get_tx_payload_buffer(&ept, &len, true);
	r += rpmsg_send_nocopy(&ept, tx, 1) + rpmsg_sendto_nocopy(&ept, tx, 1, 5) + rpmsg_send_offchannel_nocopy(&ept, 1, 2, tx, 1);
	r += rpmsg_release_tx_buffer(&ept, tx);
	rpmsg_hold_rx_buffer(&ept, tx);
	rpmsg_release_rx_buffer(&ept, tx);
	r += rpmsg_get_tx_buffer_size(&ept) + rpmsg_get_rx_buffer_size(&ept) + (int)is_rpmsg_ept_ready(&ept);
	r += rpmsg_virtio_get_tx_buffer_size(rdev) + rpmsg_virtio_get_rx_buffer_size(rdev);
	rpmsg_destroy_ept(&ept);
	r += rproc_virtio_notified(vdev, 1);

	struct virtqueue *vq = rvdev.svq;
	struct virtqueue_buf vb = { tx, 16 };
	uint16_t idx;
	r += virtqueue_add_buffer(vq, &vb, 1, 0, tx);
	(void)virtqueue_get_buffer(vq, &len, &idx);
	(void)virtqueue_get_available_buffer(vq, &idx, &len);
	(void)virtqueue_get_first_avail_buffer(vq, &idx, &len);
	r += virtqueue_add_consumed_buffer(vq, idx, len);
	virtqueue_kick(vq);
	virtqueue_notification(vq);
	r += virtqueue_enable_cb(vq);
	virtqueue_disable_cb(vq);
	r += virtqueue_create(vdev, 0, "vq", &vdev->vrings_info[0].info, NULL, vdev->func->notify, vq);
	rpmsg_deinit_vdev(&rvdev);
	rproc_virtio_remove_vdev(vdev);
	metal_finish();
	return r + RPMSG_ERR_NO_BUFF + VQ_ERROR_BASE + (int)sizeof(struct resource_table) + (int)sizeof(struct fw_rsc_vdev);
}
