/* v8r OpenAMP: the virtio devices of a remote processor's resource table. */
#include <stddef.h>
#include <metal/utilities.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include "_rsc_table.h"

static int remoteproc_virtio_notify(void *priv, uint32_t id)
{
	struct remoteproc *rproc = priv;
	return rproc->ops->notify ? rproc->ops->notify(rproc, id) : 0;
}

/* Map and place every vring of the vdev entry at region offset e; 0 or -1. */
static int map_vrings(struct remoteproc *rproc, struct virtio_device *vdev, unsigned long e)
{
	struct metal_io_region *tio = rproc->rsc_io;
	for (unsigned int i = 0; i < vdev->vrings_num; i++) {
		unsigned long v = e + sizeof(struct fw_rsc_vdev) + i * sizeof(struct fw_rsc_vdev_vring);
		metal_phys_addr_t da = metal_io_read32(tio, v + offsetof(struct fw_rsc_vdev_vring, da));
		uint32_t align = metal_io_read32(tio, v + offsetof(struct fw_rsc_vdev_vring, align));
		uint32_t num = metal_io_read32(tio, v + offsetof(struct fw_rsc_vdev_vring, num));
		uint32_t nid = metal_io_read32(tio, v + offsetof(struct fw_rsc_vdev_vring, notifyid));
		struct metal_io_region *io = NULL;
		int size = vring_size(num, align);
		void *va = size > 0 ? remoteproc_mmap(rproc, NULL, &da, (size_t)size, 0, &io) : NULL;
		if (!va || rproc_virtio_init_vring(vdev, i, nid, va, io, num, align))
			return -1;
	}
	return 0;
}

struct virtio_device *remoteproc_create_virtio(struct remoteproc *rproc, int vdev_id, unsigned int role,
					       void (*rst_cb)(struct virtio_device *vdev))
{
	if (!rproc || vdev_id < 0 || (role != VIRTIO_DEV_DEVICE && role != VIRTIO_DEV_DRIVER) || !rproc->rsc_io)
		return NULL;
	metal_mutex_acquire(&rproc->lock);
	struct metal_io_region *io = rproc->rsc_io;
	unsigned long table_off = metal_io_virt_to_offset(io, rproc->rsc_table);
	size_t entry = v8r_find_rsc(io, table_off, rproc->rsc_len, RSC_VDEV, (unsigned int)vdev_id);
	if (!entry) {
		metal_mutex_release(&rproc->lock);
		return NULL;
	}
	unsigned long e = table_off + entry;
	unsigned int notifyid = metal_io_read32(io, e + offsetof(struct fw_rsc_vdev, notifyid));
	struct metal_list *node;
	metal_list_for_each(&rproc->vdevs, node) {
		struct remoteproc_virtio *rpvdev = metal_container_of(node, struct remoteproc_virtio, node);
		if (rpvdev->vdev.notifyid == notifyid) {
			metal_mutex_release(&rproc->lock);
			return &rpvdev->vdev;
		}
	}
	struct virtio_device *vdev = rproc_virtio_create_vdev(role, notifyid, metal_io_virt(io, e), io, rproc,
							      remoteproc_virtio_notify, rst_cb);
	if (!vdev) {
		metal_mutex_release(&rproc->lock);
		return NULL;
	}
	rproc_virtio_wait_remote_ready(vdev);
	struct remoteproc_virtio *rpvdev = metal_container_of(vdev, struct remoteproc_virtio, vdev);
	metal_list_add_tail(&rproc->vdevs, &rpvdev->node);
	if (map_vrings(rproc, vdev, e)) {
		remoteproc_remove_virtio(rproc, vdev);
		vdev = NULL;
	}
	metal_mutex_release(&rproc->lock);
	return vdev;
}

void remoteproc_remove_virtio(struct remoteproc *rproc, struct virtio_device *vdev)
{
	(void)rproc;
	if (!vdev)
		return;
	struct remoteproc_virtio *rpvdev = metal_container_of(vdev, struct remoteproc_virtio, vdev);
	metal_list_del(&rpvdev->node);
	rproc_virtio_remove_vdev(vdev);
}

int remoteproc_get_notification(struct remoteproc *rproc, uint32_t notifyid)
{
	struct metal_list *node;
	if (!rproc)
		return 0;
	metal_list_for_each(&rproc->vdevs, node) {
		struct remoteproc_virtio *rpvdev = metal_container_of(node, struct remoteproc_virtio, node);
		int ret = rproc_virtio_notified(&rpvdev->vdev, notifyid);
		if (ret)
			return ret;
	}
	return 0;
}
