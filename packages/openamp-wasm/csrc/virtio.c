/* v8r OpenAMP: creating the virtqueues of a virtio device; virtio device names. */
#include <metal/alloc.h>
#include <openamp/virtio.h>
#include "_virtio_internal.h"

static const struct {
	unsigned short id;
	const char *name;
} virtio_names[] = {
	{ VIRTIO_ID_NETWORK, "Network" },
	{ VIRTIO_ID_BLOCK, "Block" },
	{ VIRTIO_ID_CONSOLE, "Console" },
	{ VIRTIO_ID_ENTROPY, "Entropy" },
	{ VIRTIO_ID_BALLOON, "Balloon" },
	{ VIRTIO_ID_IOMEMORY, "IOMemory" },
	{ VIRTIO_ID_SCSI, "SCSI" },
	{ VIRTIO_ID_9P, "9P Transport" },
	{ VIRTIO_ID_MAC80211_WLAN, "MAC80211 WLAN" },
	{ VIRTIO_ID_RPROC_SERIAL, "Remoteproc Serial" },
	{ VIRTIO_ID_GPU, "GPU" },
	{ VIRTIO_ID_INPUT, "Input" },
	{ VIRTIO_ID_VSOCK, "Vsock Transport" },
	{ VIRTIO_ID_SOUND, "Sound" },
	{ VIRTIO_ID_FS, "File System" },
	{ VIRTIO_ID_MAC80211_HWSIM, "MAC80211 HWSIM" },
	{ VIRTIO_ID_I2C_ADAPTER, "I2C Adapter" },
	{ VIRTIO_ID_BT, "Bluetooth" },
	{ VIRTIO_ID_GPIO, "GPIO" },
};

const char *virtio_dev_name(unsigned short devid)
{
	for (unsigned int i = 0; i < sizeof(virtio_names) / sizeof(virtio_names[0]); i++)
		if (virtio_names[i].id == devid)
			return virtio_names[i].name;
	return NULL;
}

void virtio_v8r_free_owned_vqs(struct virtio_device *vdev)
{
	if (!vdev || !vdev->vrings_info)
		return;
	for (unsigned int i = 0; i < vdev->vrings_num; i++) {
		struct virtqueue *vq = vdev->vrings_info[i].vq;
		if (vq && vq->vq_v8r_owned) {
			virtqueue_free(vq);
			vdev->vrings_info[i].vq = NULL;
		}
	}
}

/* One queue per vring: allocated when the vring has none, ring cleared by the driver, then set up. */
static int create_default(struct virtio_device *vdev, unsigned int nvqs, const char *names[], vq_callback callbacks[],
			  void *callback_args[])
{
	for (unsigned int i = 0; i < nvqs; i++) {
		struct virtio_vring_info *info = &vdev->vrings_info[i];
		if (!info->io)
			return ERROR_VQUEUE_INVLD_PARAM;
		if (!info->vq) {
			info->vq = virtqueue_allocate(info->info.num_descs);
			if (!info->vq)
				return ERROR_NO_MEM;
			info->vq->vq_v8r_owned = 1;
		}
		struct virtqueue *vq = info->vq;
		vq->vq_v8r_ring_io = info->io;
		if (!vq->shm_io)
			vq->shm_io = info->io;
		if (VIRTIO_ROLE_IS_DRIVER(vdev)) {
			unsigned long off = metal_io_virt_to_offset(info->io, info->info.vaddr);
			int size = vring_size(info->info.num_descs, info->info.align ? info->info.align : 1u);
			if (off == METAL_BAD_OFFSET || (unsigned long)size > info->io->size - off)
				return ERROR_VQUEUE_INVLD_PARAM;
			metal_io_block_set(info->io, off, 0, size);
		}
		int ret = virtqueue_create(vdev, (unsigned short)i, names ? names[i] : NULL, &info->info,
					   callbacks ? callbacks[i] : NULL, vdev->func ? vdev->func->notify : NULL, vq);
		if (ret)
			return ret;
		vq->priv = callback_args ? callback_args[i] : NULL;
	}
	return 0;
}

int virtio_create_virtqueues(struct virtio_device *vdev, unsigned int flags, unsigned int nvqs, const char *names[],
			     vq_callback callbacks[], void *callback_args[])
{
	if (!vdev)
		return -EINVAL;
	if (vdev->func && vdev->func->create_virtqueues)
		return vdev->func->create_virtqueues(vdev, flags, nvqs, names, callbacks, callback_args);
	if (!vdev->vrings_info || nvqs > vdev->vrings_num)
		return ERROR_VQUEUE_INVLD_PARAM;
	return create_default(vdev, nvqs, names, callbacks, callback_args);
}
