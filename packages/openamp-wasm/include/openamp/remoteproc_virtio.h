/* v8r OpenAMP subset: a virtio device described by a resource-table vdev entry. */
#ifndef OPENAMP_REMOTEPROC_VIRTIO_H
#define OPENAMP_REMOTEPROC_VIRTIO_H

#include <stdint.h>
#include <metal/io.h>
#include <metal/list.h>
#include <openamp/remoteproc.h>
#include <openamp/virtio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most vrings a vdev entry may declare (more is treated as malformed). */
#define RPROC_VIRTIO_MAX_VRINGS 8

typedef int (*rpvdev_notify_func)(void *priv, uint32_t id);

struct remoteproc_virtio {
	void *priv;
	void *vdev_rsc;                 /* token address of the fw_rsc_vdev entry */
	struct metal_io_region *vdev_rsc_io;
	rpvdev_notify_func notify;
	struct virtio_device vdev;
	struct metal_list node;
};

struct virtio_device *rproc_virtio_create_vdev(unsigned int role, unsigned int notifyid, void *rsc,
					       struct metal_io_region *rsc_io, void *priv,
					       rpvdev_notify_func notify, virtio_dev_reset_cb rst_cb);
void rproc_virtio_remove_vdev(struct virtio_device *vdev);
int rproc_virtio_init_vring(struct virtio_device *vdev, unsigned int index, unsigned int notifyid, void *va,
			    struct metal_io_region *io, unsigned int num_descs, unsigned int align);
int rproc_virtio_notified(struct virtio_device *vdev, uint32_t notifyid);
/** Device role: spin until the driver has set DRIVER_OK. */
void rproc_virtio_wait_remote_ready(struct virtio_device *vdev);

#ifdef __cplusplus
}
#endif

#endif
