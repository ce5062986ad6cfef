/*
 * Compile-only check (gcc and clang, -Wall -Wextra -Werror): the parts of the
 * OpenAMP and libmetal API the twin test does not run, used the way upstream
 * platform code uses them: a Zephyr-style static-vrings virtio device with its
 * own dispatch, a firmware resource table, the virtqueue and vring helpers,
 * the I/O accessors of every width, lists and bitmaps.
 */
#include <metal/alloc.h>
#include <metal/assert.h>
#include <metal/atomic.h>
#include <metal/compiler.h>
#include <metal/device.h>
#include <metal/errno.h>
#include <metal/io.h>
#include <metal/irq.h>
#include <metal/list.h>
#include <metal/mutex.h>
#include <metal/sleep.h>
#include <metal/sys.h>
#include <metal/utilities.h>
#include <openamp/open_amp.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg_retarget.h>
#include <openamp/virtio_ring.h>
#include <openamp/virtqueue.h>

/* A firmware resource table as upstream applications declare it. */
METAL_PACKED_BEGIN
struct remote_resource_table {
	unsigned int version;
	unsigned int num;
	unsigned int reserved[2];
	unsigned int offset[1];
	struct fw_rsc_vdev rpmsg_vdev;
	struct fw_rsc_vdev_vring rpmsg_vring0;
	struct fw_rsc_vdev_vring rpmsg_vring1;
} METAL_PACKED_END;

static struct remote_resource_table resources metal_align(0x100) = {
	1, 1, { 0, 0 }, { offsetof(struct remote_resource_table, rpmsg_vdev) },
	{ .type = RSC_VDEV, .id = VIRTIO_ID_RPMSG, .dfeatures = 1u << VIRTIO_RPMSG_F_NS, .num_of_vrings = 2 },
	{ FW_RSC_U32_ADDR_ANY, 4096, 16, 1, 0 },
	{ FW_RSC_U32_ADDR_ANY, 4096, 16, 2, 0 },
};

/* Zephyr's static-vrings backend: a virtio device with its own dispatch. */
static unsigned char status_byte;
static unsigned char get_status(struct virtio_device *vdev) { return VIRTIO_ROLE_IS_DRIVER(vdev) ? VIRTIO_CONFIG_STATUS_DRIVER_OK : status_byte; }
static void set_status(struct virtio_device *vdev, unsigned char status) { (void)vdev; status_byte = status; }
static uint32_t get_features(struct virtio_device *vdev) { (void)vdev; return 1u << VIRTIO_RPMSG_F_NS; }
static void notify(struct virtqueue *vq) { (void)vq; }

static const struct virtio_dispatch dispatch = {
	.get_status = get_status,
	.set_status = set_status,
	.get_features = get_features,
	.notify = notify,
};

int v8r_api_surface(void *shm, size_t size);
int v8r_api_surface(void *shm, size_t size)
{
	static metal_phys_addr_t physmap[1] = { 0x70000000ul };
	static struct metal_io_region io;
	static struct virtio_vring_info rvrings[2];
	static struct virtio_device vdev;
	metal_io_init(&io, shm, physmap, size, (unsigned int)-1, 0, NULL);
	struct virtqueue *vq[2] = { virtqueue_allocate(16), virtqueue_allocate(16) };
	for (int i = 0; i < 2; i++) {
		rvrings[i].io = &io;
		rvrings[i].info.vaddr = (char *)shm + 0x1000 * (i + 1);
		rvrings[i].info.num_descs = 16;
		rvrings[i].info.align = 4;
		rvrings[i].vq = vq[i];
	}
	vdev.role = RPMSG_REMOTE;
	vdev.vrings_num = 2;
	vdev.func = &dispatch;
	vdev.vrings_info = rvrings;
	int r = 0;

	/* rings by hand */
	struct vring vr;
	vring_init(&vr, 16, (uint8_t *)shm, 4);
	r += vring_size(16, 4) + vring_need_event(1, 2, 0) + (int)vring_used_event(&vr) + (int)vring_avail_event(&vr);
	r += virtqueue_create(&vdev, 0, "vq", &rvrings[0].info, NULL, notify, vq[0]);
	virtqueue_set_shmem_io(vq[0], &io);
	struct virtqueue_buf vb = { shm, 16 };
	uint16_t idx = 0;
	uint32_t len = 0;
	r += virtqueue_add_buffer(vq[0], &vb, 1, 0, shm);
	(void)virtqueue_get_buffer(vq[0], &len, &idx);
	(void)virtqueue_get_available_buffer(vq[0], &idx, &len);
	(void)virtqueue_get_first_avail_buffer(vq[0], &idx, &len);
	(void)virtqueue_get_buffer_addr(vq[0], idx);
	r += virtqueue_add_consumed_buffer(vq[0], idx, len) + virtqueue_enable_cb(vq[0]);
	r += (int)virtqueue_get_desc_size(vq[0]) + virtqueue_empty(vq[0]) + virtqueue_full(vq[0]);
	virtqueue_disable_cb(vq[0]);
	virtqueue_kick(vq[0]);
	virtqueue_notification(vq[0]);

	/* every accessor width, blocks, addresses */
	r += metal_io_read8(&io, 0) + metal_io_read16(&io, 2) + (int)metal_io_read32(&io, 4) + (int)metal_io_read64(&io, 8);
	r += metal_io_read8_explicit(&io, 0, memory_order_acquire) + metal_io_read16_explicit(&io, 0, memory_order_relaxed);
	r += (int)metal_io_read32_explicit(&io, 0, memory_order_acquire) + (int)metal_io_read64_explicit(&io, 0, memory_order_acquire);
	metal_io_write8(&io, 0, 1);
	metal_io_write16(&io, 0, 1);
	metal_io_write32(&io, 0, 1);
	metal_io_write64(&io, 0, 1);
	metal_io_write8_explicit(&io, 0, 1, memory_order_release);
	metal_io_write16_explicit(&io, 0, 1, memory_order_release);
	metal_io_write32_explicit(&io, 0, 1, memory_order_release);
	metal_io_write64_explicit(&io, 0, 1, memory_order_release);
	char buf[8];
	r += metal_io_block_read(&io, 0, buf, 8) + metal_io_block_write(&io, 0, buf, 8) + metal_io_block_set(&io, 0, 0, 8);
	r += (int)metal_io_virt_to_offset(&io, metal_io_virt(&io, 4)) + (int)metal_io_phys(&io, 4);
	r += metal_io_virt_to_phys(&io, shm) == METAL_BAD_PHYS ? 1 : 0;
	r += metal_io_phys_to_virt(&io, physmap[0]) == shm ? 0 : 1;
	r += (int)metal_io_phys_to_offset(&io, physmap[0]) + (int)metal_io_region_size(&io);

	/* the device's rpmsg on top */
	struct rpmsg_virtio_device rvdev;
	r += rpmsg_init_vdev(&rvdev, &vdev, NULL, &io, NULL);
	struct rpmsg_device *rdev = rpmsg_virtio_get_rpmsg_device(&rvdev);
	r += (int)rpmsg_virtio_get_role(&rvdev) + rpmsg_virtio_get_tx_buffer_size(rdev) + rpmsg_virtio_get_rx_buffer_size(rdev);
	rpmsg_deinit_vdev(&rvdev);

	/* a vdev over the table by hand, the remoteproc error helpers */
	struct virtio_device *rv = rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 0, &resources.rpmsg_vdev, &io, NULL, NULL, NULL);
	r += rproc_virtio_init_vring(rv, 0, 1, metal_io_virt(&io, 0x1000), &io, 16, 4096);
	r += rproc_virtio_notified(rv, RSC_NOTIFY_ID_ANY);
	rproc_virtio_wait_remote_ready(rv);
	rproc_virtio_remove_vdev(rv);
	r += RPROC_IS_ERR(RPROC_ERR_PTR(-RPROC_EINVAL)) + (int)RPROC_PTR_ERR(NULL);

	/* lists, bitmaps, utilities */
	static METAL_DECLARE_LIST(list);
	struct metal_list node, *it, *tmp;
	metal_list_add_head(&list, &node);
	metal_list_for_each_safe(&list, it, tmp)
		metal_list_del(it);
	metal_list_add_tail(&list, &node);
	r += metal_list_find_node(&list, &node) + (metal_list_first(&list) == &node);
	unsigned long bitmap[metal_bitmap_longs(64)] = { 0 };
	unsigned int bit;
	metal_bitmap_set_bit(bitmap, 3);
	metal_bitmap_for_each_set_bit(bitmap, bit, 64)
		metal_bitmap_clear_bit(bitmap, (int)bit);
	metal_bitmap_for_each_clear_bit(bitmap, bit, 2)
		r += metal_bitmap_is_bit_clear(bitmap, (int)bit);
	r += metal_sign(-r) + (int)metal_dim(buf) + (int)metal_max(1, 2) + (int)metal_min(1, 2);
	r += (int)(uintptr_t)metal_ptr_align_up(shm, 8) - (int)(uintptr_t)metal_ptr_align_down(shm, 8);
	metal_assert(r >= 0 || r < 0);
	return r;
}
