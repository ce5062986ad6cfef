/*
 * v8r OpenAMP: a virtio device described by a resource-table vdev entry. The
 * entry is read and written only through its I/O region: the driver writes
 * gfeatures, status and config (each followed by a vdev-level notification),
 * the device reads them.
 */
#include <stddef.h>
#include <string.h>
#include <metal/alloc.h>
#include <metal/cpu.h>
#include <metal/utilities.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include "_virtio_internal.h"

static struct remoteproc_virtio *rpvdev_of(struct virtio_device *vdev)
{
	return metal_container_of(vdev, struct remoteproc_virtio, vdev);
}

/* Region offset of a field of the vdev entry. */
static unsigned long field(struct remoteproc_virtio *rpvdev, size_t field_offset)
{
	unsigned long base = metal_io_virt_to_offset(rpvdev->vdev_rsc_io, rpvdev->vdev_rsc);
	return base == METAL_BAD_OFFSET ? METAL_BAD_OFFSET : base + field_offset;
}

static void vdev_notify(struct remoteproc_virtio *rpvdev)
{
	if (rpvdev->notify)
		rpvdev->notify(rpvdev->priv, rpvdev->vdev.notifyid);
}

static uint8_t rv_get_status(struct virtio_device *vdev)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	return metal_io_read8(rpvdev->vdev_rsc_io, field(rpvdev, offsetof(struct fw_rsc_vdev, status)));
}

static void rv_set_status(struct virtio_device *vdev, uint8_t status)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	metal_io_write8(rpvdev->vdev_rsc_io, field(rpvdev, offsetof(struct fw_rsc_vdev, status)), status);
	vdev_notify(rpvdev);
}

static uint32_t rv_dfeatures(struct virtio_device *vdev)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	return metal_io_read32(rpvdev->vdev_rsc_io, field(rpvdev, offsetof(struct fw_rsc_vdev, dfeatures)));
}

/* What both sides support: the device's features the driver accepted. */
static uint32_t rv_get_features(struct virtio_device *vdev)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	uint32_t gfeatures = metal_io_read32(rpvdev->vdev_rsc_io, field(rpvdev, offsetof(struct fw_rsc_vdev, gfeatures)));
	return rv_dfeatures(vdev) & gfeatures;
}

static void rv_set_features(struct virtio_device *vdev, uint32_t features)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	metal_io_write32(rpvdev->vdev_rsc_io, field(rpvdev, offsetof(struct fw_rsc_vdev, gfeatures)), features);
	vdev_notify(rpvdev);
}

static uint32_t rv_negotiate_features(struct virtio_device *vdev, uint32_t features)
{
	uint32_t agreed = rv_dfeatures(vdev) & features;
	rv_set_features(vdev, agreed);
	return agreed;
}

/* Region offset of [offset, offset + length) of the config space after the vrings, or BAD when outside it. */
static unsigned long config_field(struct virtio_device *vdev, uint32_t offset, int length)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	uint32_t config_len = metal_io_read32(rpvdev->vdev_rsc_io, field(rpvdev, offsetof(struct fw_rsc_vdev, config_len)));
	if (length < 0 || offset > config_len || (uint32_t)length > config_len - offset)
		return METAL_BAD_OFFSET;
	return field(rpvdev, sizeof(struct fw_rsc_vdev) + vdev->vrings_num * sizeof(struct fw_rsc_vdev_vring) + offset);
}

static void rv_read_config(struct virtio_device *vdev, uint32_t offset, void *dst, int length)
{
	unsigned long off = config_field(vdev, offset, length);
	if (off != METAL_BAD_OFFSET)
		metal_io_block_read(rpvdev_of(vdev)->vdev_rsc_io, off, dst, length);
}

static void rv_write_config(struct virtio_device *vdev, uint32_t offset, void *src, int length)
{
	unsigned long off = config_field(vdev, offset, length);
	if (off == METAL_BAD_OFFSET)
		return;
	metal_io_block_write(rpvdev_of(vdev)->vdev_rsc_io, off, src, length);
	vdev_notify(rpvdev_of(vdev));
}

static void rv_reset_device(struct virtio_device *vdev)
{
	if (VIRTIO_ROLE_IS_DRIVER(vdev))
		rv_set_status(vdev, VIRTIO_CONFIG_STATUS_NEEDS_RESET);
}

static void rv_notify(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vq_dev;
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	if (vq->vq_queue_index < vdev->vrings_num && rpvdev->notify)
		rpvdev->notify(rpvdev->priv, vdev->vrings_info[vq->vq_queue_index].notifyid);
}

static const struct virtio_dispatch rproc_virtio_dispatch = {
	.get_status = rv_get_status,
	.set_status = rv_set_status,
	.get_features = rv_get_features,
	.set_features = rv_set_features,
	.negotiate_features = rv_negotiate_features,
	.read_config = rv_read_config,
	.write_config = rv_write_config,
	.reset_device = rv_reset_device,
	.notify = rv_notify,
};

struct virtio_device *rproc_virtio_create_vdev(unsigned int role, unsigned int notifyid, void *rsc,
					       struct metal_io_region *rsc_io, void *priv, rpvdev_notify_func notify,
					       virtio_dev_reset_cb rst_cb)
{
	if (!rsc || !rsc_io || (role != VIRTIO_DEV_DRIVER && role != VIRTIO_DEV_DEVICE))
		return NULL;
	unsigned long off = metal_io_virt_to_offset(rsc_io, rsc);
	if (off == METAL_BAD_OFFSET || sizeof(struct fw_rsc_vdev) > rsc_io->size - off)
		return NULL;
	unsigned int nvrings = metal_io_read8(rsc_io, off + offsetof(struct fw_rsc_vdev, num_of_vrings));
	if (nvrings == 0 || sizeof(struct fw_rsc_vdev_vring) * nvrings > rsc_io->size - off - sizeof(struct fw_rsc_vdev))
		return NULL;
	struct remoteproc_virtio *rpvdev = metal_allocate_memory(sizeof(*rpvdev));
	struct virtio_vring_info *vrings = metal_allocate_memory((unsigned int)(nvrings * sizeof(*vrings)));
	if (!rpvdev || !vrings) {
		metal_free_memory(rpvdev);
		metal_free_memory(vrings);
		return NULL;
	}
	memset(rpvdev, 0, sizeof(*rpvdev));
	memset(vrings, 0, nvrings * sizeof(*vrings));
	rpvdev->priv = priv;
	rpvdev->vdev_rsc = rsc;
	rpvdev->vdev_rsc_io = rsc_io;
	rpvdev->notify = notify;
	struct virtio_device *vdev = &rpvdev->vdev;
	vdev->notifyid = notifyid;
	vdev->id.device = metal_io_read32(rsc_io, off + offsetof(struct fw_rsc_vdev, id));
	vdev->role = role;
	vdev->reset_cb = rst_cb;
	vdev->func = &rproc_virtio_dispatch;
	vdev->vrings_num = nvrings;
	vdev->vrings_info = vrings;
	if (VIRTIO_ROLE_IS_DRIVER(vdev))
		rv_negotiate_features(vdev, rv_dfeatures(vdev)); /* the driver takes every feature the device offers */
	return vdev;
}

void rproc_virtio_remove_vdev(struct virtio_device *vdev)
{
	if (!vdev)
		return;
	virtio_v8r_free_owned_vqs(vdev);
	metal_free_memory(vdev->vrings_info);
	metal_free_memory(rpvdev_of(vdev));
}

int rproc_virtio_init_vring(struct virtio_device *vdev, unsigned int index, unsigned int notifyid, void *va,
			    struct metal_io_region *io, unsigned int num_descs, unsigned int align)
{
	if (!vdev || index >= vdev->vrings_num || num_descs > RPROC_MAX_VRING_DESC)
		return -RPROC_EINVAL;
	struct virtio_vring_info *info = &vdev->vrings_info[index];
	info->notifyid = notifyid;
	info->io = io;
	info->info.vaddr = va;
	info->info.num_descs = (uint16_t)num_descs;
	info->info.align = align;
	return 0;
}

int rproc_virtio_notified(struct virtio_device *vdev, uint32_t notifyid)
{
	if (!vdev)
		return -RPROC_EINVAL;
	if (notifyid == vdev->notifyid)
		return 0; /* status or features changed: nothing to do here */
	for (unsigned int i = 0; i < vdev->vrings_num; i++) {
		struct virtio_vring_info *info = &vdev->vrings_info[i];
		if ((info->notifyid == notifyid || notifyid == RSC_NOTIFY_ID_ANY) && info->vq)
			virtqueue_notification(info->vq);
	}
	return 0;
}

void rproc_virtio_wait_remote_ready(struct virtio_device *vdev)
{
	if (!vdev || VIRTIO_ROLE_IS_DRIVER(vdev))
		return;
	while (!(rv_get_status(vdev) & VIRTIO_CONFIG_STATUS_DRIVER_OK))
		metal_cpu_yield();
}
