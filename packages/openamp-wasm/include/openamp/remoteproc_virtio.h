/* v8r OpenAMP: a virtio device described by a resource-table vdev entry, as OpenAMP declares it. */
#ifndef REMOTEPROC_VIRTIO_H
#define REMOTEPROC_VIRTIO_H

#include <limits.h>
#include <metal/cache.h>
#include <metal/io.h>
#include <metal/list.h>
#include <openamp/virtio.h>

#if defined __cplusplus
extern "C" {
#endif

/* Most descriptors a vring of a vdev may have (a 16-bit count). */
#define RPROC_MAX_VRING_DESC USHRT_MAX

#if defined(VIRTIO_CACHED_RSC_TABLE) || defined(VIRTIO_USE_DCACHE)
#define RSC_TABLE_FLUSH(x, s) CACHE_FLUSH(x, s)
#define RSC_TABLE_INVALIDATE(x, s) CACHE_INVALIDATE(x, s)
#else
#define RSC_TABLE_FLUSH(x, s) do { } while (0)
#define RSC_TABLE_INVALIDATE(x, s) do { } while (0)
#endif

/** Notify the peer: id is a vring's notify id, or the vdev's for status and feature changes. */
typedef int (*rpvdev_notify_func)(void *priv, uint32_t id);

struct remoteproc_virtio {
	void *priv;
	void *vdev_rsc;                      /* address of the fw_rsc_vdev entry (in vdev_rsc_io) */
	struct metal_io_region *vdev_rsc_io; /* every access to the entry goes through it */
	rpvdev_notify_func notify;
	struct virtio_device vdev;
	struct metal_list node;
};

/** A virtio device over the vdev entry rsc (status and features live in the entry); NULL on failure. */
struct virtio_device *rproc_virtio_create_vdev(unsigned int role, unsigned int notifyid, void *rsc,
					       struct metal_io_region *rsc_io, void *priv, rpvdev_notify_func notify,
					       virtio_dev_reset_cb rst_cb);
void rproc_virtio_remove_vdev(struct virtio_device *vdev);
/** Place vring index at va (in io); 0, or -RPROC_EINVAL. */
int rproc_virtio_init_vring(struct virtio_device *vdev, unsigned int index, unsigned int notifyid, void *va,
			    struct metal_io_region *io, unsigned int num_descs, unsigned int align);
/** Run the vrings notifyid names (RSC_NOTIFY_ID_ANY: every vring; the vdev's own id: none); 0 or -RPROC_EINVAL. */
int rproc_virtio_notified(struct virtio_device *vdev, uint32_t notifyid);
/** Device role: wait (yielding) until the driver has set DRIVER_OK; the driver role returns at once. */
void rproc_virtio_wait_remote_ready(struct virtio_device *vdev);

#if defined __cplusplus
}
#endif

#endif /* REMOTEPROC_VIRTIO_H */
