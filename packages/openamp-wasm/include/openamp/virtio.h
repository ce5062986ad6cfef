/* v8r OpenAMP subset: virtio devices (roles, status, features, dispatch). */
#ifndef OPENAMP_VIRTIO_H
#define OPENAMP_VIRTIO_H

#include <stdint.h>
#include <metal/io.h>
#include <openamp/virtqueue.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VIRTIO_ID_RPMSG 7U
#define VIRTIO_DEV_ANY_ID -1

#define VIRTIO_CONFIG_STATUS_RESET 0x00
#define VIRTIO_CONFIG_STATUS_ACK 0x01
#define VIRTIO_CONFIG_STATUS_DRIVER 0x02
#define VIRTIO_CONFIG_STATUS_DRIVER_OK 0x04
#define VIRTIO_CONFIG_FEATURES_OK 0x08
#define VIRTIO_CONFIG_STATUS_NEEDS_RESET 0x40
#define VIRTIO_CONFIG_STATUS_FAILED 0x80

#define VIRTIO_DEV_DRIVER 0UL
#define VIRTIO_DEV_DEVICE 1UL

struct virtio_device_id {
	uint32_t device;
	uint32_t vendor;
	uint32_t version;
};

typedef void (*virtio_dev_reset_cb)(struct virtio_device *vdev);

/** One ring of a device: its queue, placement, notify id and region. */
struct virtio_vring_info {
	struct virtqueue *vq;
	struct vring_alloc_info info;
	uint32_t notifyid;
	struct metal_io_region *io;
};

struct virtio_dispatch;

struct virtio_device {
	uint32_t notifyid;
	struct virtio_device_id id;
	uint64_t features;
	unsigned int role;
	virtio_dev_reset_cb reset_cb;
	const struct virtio_dispatch *func;
	void *priv;
	unsigned int vrings_num;
	struct virtio_vring_info *vrings_info;
};

/** Operations a transport provides (static vrings, remoteproc, ...). */
struct virtio_dispatch {
	int (*create_virtqueues)(struct virtio_device *vdev, unsigned int flags, unsigned int nvqs,
				 const char *names[], vq_callback callbacks[], void *callback_args[]);
	void (*delete_virtqueues)(struct virtio_device *vdev);
	uint8_t (*get_status)(struct virtio_device *dev);
	void (*set_status)(struct virtio_device *dev, uint8_t status);
	uint32_t (*get_features)(struct virtio_device *dev);
	void (*set_features)(struct virtio_device *dev, uint32_t feature);
	uint32_t (*negotiate_features)(struct virtio_device *dev, uint32_t features);
	void (*read_config)(struct virtio_device *dev, uint32_t offset, void *dst, int length);
	void (*write_config)(struct virtio_device *dev, uint32_t offset, void *src, int length);
	void (*reset_device)(struct virtio_device *dev);
	void (*notify)(struct virtqueue *vq);
};

/** Create nvqs virtqueues from vdev->vrings_info (driver role clears the rings). */
int virtio_create_virtqueues(struct virtio_device *vdev, unsigned int flags, unsigned int nvqs,
			     const char *names[], vq_callback callbacks[], void *callback_args[]);
void virtio_delete_virtqueues(struct virtio_device *vdev);

static inline uint8_t virtio_get_status_or0(struct virtio_device *vdev)
{
	return vdev->func && vdev->func->get_status ? vdev->func->get_status(vdev) : 0;
}

#ifdef __cplusplus
}
#endif

#endif
