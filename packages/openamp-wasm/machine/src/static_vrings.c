/*
 * v8r machine port: an RPMsg link in Zephyr's static-vrings layout (no
 * resource table): the virtio status byte at offset 0, the host's buffer pool
 * after it, then vring 1 (host -> remote) and vring 0 (remote -> host);
 * features fixed to name service; a kick rings the event channel.
 */
#include <metal/utilities.h>
#include "_machine.h"

static struct v8r_link *link_of(struct virtio_device *vdev)
{
	return metal_container_of(vdev, struct v8r_link, svdev);
}

/* The host owns the status byte: it answers from what it wrote (a send checks it, once per message). */
static uint8_t get_status(struct virtio_device *vdev)
{
	struct v8r_link *link = link_of(vdev);
	return link->role == VIRTIO_DEV_DRIVER ? link->status : metal_io_read8(&link->plat->io, 0);
}

static void set_status(struct virtio_device *vdev, uint8_t status)
{
	struct v8r_link *link = link_of(vdev);
	link->status = status;
	metal_io_write8(&link->plat->io, 0, status);
}

static uint32_t get_features(struct virtio_device *vdev)
{
	(void)vdev;
	return 1u << VIRTIO_RPMSG_F_NS;
}

static void set_features(struct virtio_device *vdev, uint32_t features)
{
	(void)vdev;
	(void)features; /* fixed: both sides know them */
}

static void notify(struct virtqueue *vq)
{
	(void)vq;
	v8r_port_notify();
}

static const struct virtio_dispatch dispatch = {
	.get_status = get_status,
	.set_status = set_status,
	.get_features = get_features,
	.set_features = set_features,
	.notify = notify,
};

int v8r_static_create(struct v8r_link *link, rpmsg_ns_bind_cb ns_bind_cb)
{
	struct v8r_platform *p = link->plat;
	const struct v8r_layout *l = &p->layout;
	uint32_t rings[2] = { l->vring0_off, l->vring1_off };
	struct virtio_device *vdev = &link->svdev;
	for (int i = 0; i < 2; i++) {
		link->vrings[i].io = &p->io;
		link->vrings[i].info.vaddr = metal_io_virt(&p->io, rings[i]);
		link->vrings[i].info.num_descs = l->num;
		link->vrings[i].info.align = V8R_ALIGN;
		link->vrings[i].notifyid = (uint32_t)i;
	}
	vdev->role = link->role;
	vdev->vrings_num = 2;
	vdev->vrings_info = link->vrings;
	vdev->func = &dispatch;
	vdev->reset_cb = link->rst_cb;
	link->vdev = vdev;
	if (link->role == VIRTIO_DEV_DEVICE) {
		v8r_wait_driver_ok(p, 0);
		return rpmsg_init_vdev(&link->rvdev, vdev, ns_bind_cb, &p->io, NULL);
	}
	set_status(vdev, 0); /* a remote watching the status sees the (re-)initialisation */
	rpmsg_virtio_init_shm_pool(&link->pool, metal_io_virt(&p->io, l->pool_off), l->pool_size);
	return rpmsg_init_vdev(&link->rvdev, vdev, ns_bind_cb, &p->io, &link->pool);
}
