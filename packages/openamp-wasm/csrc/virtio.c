/* v8r OpenAMP subset: creating the virtqueues of a virtio device. */
#include <openamp/virtio.h>

void virtio_delete_virtqueues(struct virtio_device *vdev)
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

int virtio_create_virtqueues(struct virtio_device *vdev, unsigned int flags, unsigned int nvqs,
			     const char *names[], vq_callback callbacks[], void *callback_args[])
{
	(void)flags;
	if (!vdev || !vdev->vrings_info || nvqs > vdev->vrings_num)
		return ERROR_VQUEUE_INVLD_PARAM;
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
		vq->shm_io = info->io;
		if (vdev->role == VIRTIO_DEV_DRIVER) {
			unsigned long off = metal_io_virt_to_offset(info->io, info->info.vaddr);
			unsigned int size = vring_size(info->info.num_descs, info->info.align ? info->info.align : 1u);
			if (off == METAL_BAD_OFFSET || size > info->io->size - off)
				return ERROR_VQUEUE_INVLD_PARAM;
			metal_io_block_set(info->io, off, 0, (int)size);
		}
		int ret = virtqueue_create(vdev, (unsigned short)i, names ? names[i] : NULL, &info->info,
					   callbacks ? callbacks[i] : NULL, vdev->func ? vdev->func->notify : NULL, vq);
		if (ret)
			return ret;
		vq->priv = callback_args ? callback_args[i] : NULL;
	}
	return 0;
}
