/*
 * v8r OpenAMP subset: a virtio device described by a resource-table vdev
 * entry in shared memory. Status and features live in the table; the driver
 * writes gfeatures and status (each raising a vdev-level notification).
 */
#include <string.h>
#include <metal/alloc.h>
#include <metal/sleep.h>
#include <openamp/remoteproc_virtio.h>

static struct remoteproc_virtio *rpvdev_of(struct virtio_device *vdev)
{
	return metal_container_of(vdev, struct remoteproc_virtio, vdev);
}

static unsigned long rsc_off(struct remoteproc_virtio *rpvdev)
{
	return metal_io_virt_to_offset(rpvdev->vdev_rsc_io, rpvdev->vdev_rsc);
}

static uint8_t rv_get_status(struct virtio_device *vdev)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	return metal_io_read8(rpvdev->vdev_rsc_io, rsc_off(rpvdev) + RSC_VDEV_STATUS);
}

static void rv_set_status(struct virtio_device *vdev, uint8_t status)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	metal_io_write8(rpvdev->vdev_rsc_io, rsc_off(rpvdev) + RSC_VDEV_STATUS, status);
	if (rpvdev->notify)
		rpvdev->notify(rpvdev->priv, vdev->notifyid);
}

static uint32_t rv_get_features(struct virtio_device *vdev)
{
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	unsigned long off = rsc_off(rpvdev);
	uint32_t dfeatures = metal_io_read32(rpvdev->vdev_rsc_io, off + RSC_VDEV_DFEATURES);
	if (vdev->role == VIRTIO_DEV_DRIVER)
		return dfeatures;
	return dfeatures & metal_io_read32(rpvdev->vdev_rsc_io, off + RSC_VDEV_GFEATURES);
}

static void rv_notify(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vq_dev;
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	if (vq->vq_queue_index < vdev->vrings_num && rpvdev->notify)
		rpvdev->notify(rpvdev->priv, vdev->vrings_info[vq->vq_queue_index].notifyid);
}

static const struct virtio_dispatch rproc_virtio_dispatch = {
	.create_virtqueues = virtio_create_virtqueues,
	.delete_virtqueues = virtio_delete_virtqueues,
	.get_status = rv_get_status,
	.set_status = rv_set_status,
	.get_features = rv_get_features,
	.notify = rv_notify,
};

struct virtio_device *rproc_virtio_create_vdev(unsigned int role, unsigned int notifyid, void *rsc,
					       struct metal_io_region *rsc_io, void *priv,
					       rpvdev_notify_func notify, virtio_dev_reset_cb rst_cb)
{
	if (!rsc || !rsc_io)
		return NULL;
	unsigned long off = metal_io_virt_to_offset(rsc_io, rsc);
	if (off == METAL_BAD_OFFSET || RSC_VDEV_VRING0 > rsc_io->size - off)
		return NULL;
	unsigned int nvrings = metal_io_read8(rsc_io, off + RSC_VDEV_NUM_VRINGS);
	if (nvrings == 0 || nvrings > RPROC_VIRTIO_MAX_VRINGS ||
	    RSC_VDEV_VRING0 + RSC_VRING_SIZE * nvrings > rsc_io->size - off)
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
	vdev->id.device = metal_io_read32(rsc_io, off + RSC_VDEV_ID);
	vdev->role = role;
	vdev->reset_cb = rst_cb;
	vdev->func = &rproc_virtio_dispatch;
	vdev->vrings_num = nvrings;
	vdev->vrings_info = vrings;
	for (unsigned int i = 0; i < nvrings; i++)
		vrings[i].notifyid = metal_io_read32(rsc_io, off + RSC_VDEV_VRING0 + RSC_VRING_SIZE * i + 12u);
	if (role == VIRTIO_DEV_DRIVER) {
		uint32_t dfeatures = metal_io_read32(rsc_io, off + RSC_VDEV_DFEATURES);
		metal_io_write32(rsc_io, off + RSC_VDEV_GFEATURES, dfeatures);
		if (notify)
			notify(priv, notifyid);
	}
	return vdev;
}

void rproc_virtio_remove_vdev(struct virtio_device *vdev)
{
	if (!vdev)
		return;
	struct remoteproc_virtio *rpvdev = rpvdev_of(vdev);
	virtio_delete_virtqueues(vdev);
	metal_free_memory(vdev->vrings_info);
	metal_free_memory(rpvdev);
}

int rproc_virtio_init_vring(struct virtio_device *vdev, unsigned int index, unsigned int notifyid, void *va,
			    struct metal_io_region *io, unsigned int num_descs, unsigned int align)
{
	if (!vdev || index >= vdev->vrings_num || num_descs > 32768u)
		return -22;
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
		return -22;
	if (notifyid == vdev->notifyid)
		return 0; /* vdev-level: nothing to do */
	/* RSC_NOTIFY_ID_ANY (what Linux remoteproc may deliver) stands for every vring */
	for (unsigned int i = 0; i < vdev->vrings_num; i++) {
		struct virtio_vring_info *info = &vdev->vrings_info[i];
		if ((info->notifyid == notifyid || notifyid == RSC_NOTIFY_ID_ANY) && info->vq)
			virtqueue_notification(info->vq);
	}
	return 0;
}

void rproc_virtio_wait_remote_ready(struct virtio_device *vdev)
{
	while (!(rv_get_status(vdev) & VIRTIO_CONFIG_STATUS_DRIVER_OK))
		metal_sleep_usec(1000);
}
