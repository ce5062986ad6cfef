/* v8r: virtio internals. */
#ifndef V8R_VIRTIO_INTERNAL_H
#define V8R_VIRTIO_INTERNAL_H

#include <openamp/virtio.h>

/** Free the queues virtio_create_virtqueues() allocated itself (those a platform gave are left alone). */
void virtio_v8r_free_owned_vqs(struct virtio_device *vdev);

#endif
