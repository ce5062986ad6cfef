/*
 * The v8r machine port: the per-machine layer OpenAMP's example applications
 * are written against (rpmsg-echo, rpmsg-ping, rpmsg-nocopy-echo, matrix
 * multiply, ...), for a guest of v8r. Written for v8r from the documented
 * contract of OpenAMP's examples; `v8r-cc` puts this directory on the include
 * path and links libv8r_machine.a.
 *
 * The port finds the guest's static shared memory region and static event
 * channel (named in the bootargs with shm_id=<id> and evtchn=<port>, or the
 * only one of each), lays out the vrings in the region (Zephyr's static
 * vrings; with vrings=rsc_table, a resource table at offset 0), makes the
 * rpmsg virtio device of the requested role, and platform_poll() waits for the
 * event channel (or poll_ms=<ms>, default 250) and processes what arrived.
 */
#ifndef PLATFORM_INFO_H_
#define PLATFORM_INFO_H_

#include <openamp/remoteproc.h>
#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>
#include <openamp/virtio.h>

#if defined __cplusplus
extern "C" {
#endif

/* The role names of OpenAMP releases before 2023 (the examples of that time use them). */
#ifndef VIRTIO_DEV_MASTER
#define VIRTIO_DEV_MASTER VIRTIO_DEV_DRIVER
#endif
#ifndef VIRTIO_DEV_SLAVE
#define VIRTIO_DEV_SLAVE VIRTIO_DEV_DEVICE
#endif

/* The channel name of OpenAMP's demos, for applications that take it from the machine header. */
#ifndef RPMSG_CHAN_NAME
#define RPMSG_CHAN_NAME "rpmsg-openamp-demo-channel"
#endif

/**
 * platform_init - initialise libmetal and find the guest's shared memory and
 * event channel.
 *
 * @argc: number of arguments (the guest's bootargs, program name first)
 * @argv: the arguments: shm_id=<id>, evtchn=<port>, vrings=static|rsc_table,
 *        poll_ms=<ms> are read; anything else is left to the application
 * @platform: where the platform pointer is stored
 *
 * return 0, or a negative value (the reason is logged with metal_err)
 */
int platform_init(int argc, char *argv[], void **platform);

/**
 * platform_create_rpmsg_vdev - make the rpmsg virtio device of one role.
 *
 * @platform: from platform_init
 * @vdev_index: 0 (one RPMsg link per region)
 * @role: VIRTIO_DEV_DRIVER (host) or VIRTIO_DEV_DEVICE (remote); a remote
 *        waits until the host has set DRIVER_OK
 * @rst_cb: called from platform_poll() when the host re-initialised the link
 *          under a remote (NULL: not reported)
 * @ns_bind_cb: name-service bind callback, or NULL
 *
 * return the rpmsg device, or NULL (the reason is logged)
 */
struct rpmsg_device *platform_create_rpmsg_vdev(void *platform, unsigned int vdev_index, unsigned int role,
						void (*rst_cb)(struct virtio_device *vdev),
						rpmsg_ns_bind_cb ns_bind_cb);

/**
 * platform_poll - wait for the event channel (or the poll period) and process
 * what arrived on every device of the platform.
 *
 * return 0, or a negative value when the platform has no device
 */
int platform_poll(void *platform);

/**
 * v8r_platform_poll_timeout - platform_poll() that waits at most timeout_ms
 * for the event channel (0: takes what is pending without waiting) instead
 * of the poll period: for applications with timers of their own, which
 * wait until the next one is due. A v8r addition, not in OpenAMP's examples.
 *
 * return 0, or a negative value when the platform has no device
 */
int v8r_platform_poll_timeout(void *platform, unsigned int timeout_ms);

/**
 * platform_poll_on_vdev_reset - platform_poll(), then tell whether the host
 * re-initialised the link of rpdev since the device was made.
 *
 * return 1 after a reset, 0 without one, negative on error
 */
int platform_poll_on_vdev_reset(struct rpmsg_device *rpdev, void *platform);

/**
 * platform_release_rpmsg_vdev - tear down a device made by
 * platform_create_rpmsg_vdev() (rpmsg_deinit_vdev and the rings' memory).
 * Older examples call it with the device only; both forms work.
 */
void platform_release_rpmsg_vdev(struct rpmsg_device *rpdev, void *platform);
void v8r_platform_release_rpmsg_vdev_of(struct rpmsg_device *rpdev);
#define V8R_PICK_RELEASE_(a, b, name, ...) name
#define platform_release_rpmsg_vdev(...) \
	V8R_PICK_RELEASE_(__VA_ARGS__, platform_release_rpmsg_vdev, v8r_platform_release_rpmsg_vdev_of, 0)(__VA_ARGS__)

/**
 * platform_cleanup - release what platform_init took (devices still made are
 * released first).
 */
void platform_cleanup(void *platform);

#if defined __cplusplus
}
#endif

#endif /* PLATFORM_INFO_H_ */
