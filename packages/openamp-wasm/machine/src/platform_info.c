/*
 * v8r machine port: platform_init, platform_create_rpmsg_vdev, platform_poll,
 * platform_release_rpmsg_vdev and platform_cleanup, as OpenAMP's example
 * applications call them (see platform_info.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <metal/log.h>
#include <metal/sys.h>
#include <openamp/virtqueue.h>
#include "platform_info.h"
#include "../../csrc/v8r_shm_io.h"
#include "_machine.h"

#define DEFAULT_POLL_MS 250u

static int starts_with(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	if (strncmp(s, prefix, n) != 0)
		return 0;
	*rest = s + n;
	return 1;
}

/* Read the machine's options from argv; 0, or -EINVAL for a value that does not parse. */
static int parse_args(struct v8r_platform *p, int argc, char *argv[])
{
	for (int i = 1; i < argc && argv && argv[i]; i++) {
		const char *v;
		char *end = NULL;
		if (starts_with(argv[i], "shm_id=", &v)) {
			if (strlen(v) >= sizeof(p->shm_id)) {
				metal_err("v8r machine: shm_id=%s is longer than %u characters\n", v,
					  (unsigned int)sizeof(p->shm_id) - 1);
				return -EINVAL;
			}
			strcpy(p->shm_id, v);
		} else if (starts_with(argv[i], "evtchn=", &v)) {
			long port = strtol(v, &end, 0);
			if (!*v || *end || port <= 0 || port > 4095) {
				metal_err("v8r machine: evtchn=%s is not an event channel port (1..4095)\n", v);
				return -EINVAL;
			}
			p->evtchn = (int32_t)port;
		} else if (starts_with(argv[i], "vrings=", &v)) {
			if (strcmp(v, "static") && strcmp(v, "rsc_table")) {
				metal_err("v8r machine: vrings=%s: use vrings=static or vrings=rsc_table\n", v);
				return -EINVAL;
			}
			p->rsc_table = !strcmp(v, "rsc_table");
		} else if (starts_with(argv[i], "poll_ms=", &v)) {
			unsigned long ms = strtoul(v, &end, 10);
			if (!*v || *end || ms == 0 || ms > 3600000ul) {
				metal_err("v8r machine: poll_ms=%s is not a period in ms (1..3600000)\n", v);
				return -EINVAL;
			}
			p->poll_ms = (uint32_t)ms;
		}
	}
	return 0;
}

int platform_init(int argc, char *argv[], void **platform)
{
	if (!platform)
		return -EINVAL;
	*platform = NULL;
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	metal_init(&params);
	struct v8r_platform *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->evtchn = -1;
	p->poll_ms = DEFAULT_POLL_MS;
	int ret = parse_args(p, argc, argv);
	uint32_t size = 0, phys = 0;
	if (!ret)
		ret = v8r_port_shm_open(p->shm_id, (uint32_t)strlen(p->shm_id), &size, &phys);
	if (!ret && v8r_port_doorbell_open(p->evtchn) < 0)
		ret = -ENOENT;
	if (!ret && v8r_layout_compute(&p->layout, size, p->rsc_table ? V8R_RSC_AREA : V8R_ALIGN) != 0) {
		metal_err("v8r machine: the shared memory region (%u bytes) is too small for an RPMsg link\n",
			  (unsigned int)size);
		ret = -ENOSPC;
	}
	if (!ret) {
		/* the mirror: the linear memory the API's addresses point into (see the pointer rule) */
		p->mirror = aligned_alloc(16, (size + 15u) & ~15u);
		if (!p->mirror)
			ret = -ENOMEM;
	}
	if (ret) {
		free(p);
		return ret;
	}
	p->size = size;
	p->phys = phys;
	v8r_shm_io_init(&p->io, p->mirror, &p->phys, size);
	*platform = p;
	return 0;
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1u) & ~(a - 1u);
}

int v8r_layout_compute(struct v8r_layout *l, uint32_t size, uint32_t reserved)
{
	/* Zephyr: the largest n with shm_size(n) < size - reserved, rounded down to a power of two */
	uint64_t avail = size > reserved ? size - reserved : 0;
	uint32_t n_max = 0;
	for (;;) {
		uint32_t n = n_max + 1u;
		uint64_t need = 2u * ((uint64_t)align_up(V8R_BUF_SIZE * n, V8R_ALIGN) +
				      align_up((uint32_t)vring_size(n, V8R_ALIGN), V8R_ALIGN));
		if (need >= avail || n > 65536u)
			break;
		n_max = n;
	}
	if (n_max < 1u)
		return -1;
	uint32_t num = 1;
	while (num * 2u <= n_max && num * 2u <= 32768u)
		num *= 2u;
	l->num = num;
	l->reserved = reserved;
	l->pool_off = align_up(reserved, V8R_ALIGN);
	l->pool_size = 2u * align_up(V8R_BUF_SIZE * num, V8R_ALIGN);
	l->vring1_off = l->pool_off + l->pool_size;
	l->vring0_off = align_up(l->vring1_off + (uint32_t)vring_size(num, V8R_ALIGN), V8R_ALIGN);
	return 0;
}

void v8r_wait_driver_ok(struct v8r_platform *plat, unsigned long status_off)
{
	int told = 0;
	while (!(metal_io_read8(&plat->io, status_off) & VIRTIO_CONFIG_STATUS_DRIVER_OK)) {
		if (!told++)
			metal_info("v8r machine: waiting for the host to bring the link up\n");
		v8r_env_sleep_us(10000); /* a doorbell ends the sleep early */
	}
}

struct rpmsg_device *platform_create_rpmsg_vdev(void *platform, unsigned int vdev_index, unsigned int role,
						void (*rst_cb)(struct virtio_device *vdev),
						rpmsg_ns_bind_cb ns_bind_cb)
{
	struct v8r_platform *p = platform;
	if (!p || vdev_index != 0 || (role != VIRTIO_DEV_DRIVER && role != VIRTIO_DEV_DEVICE) || p->link) {
		metal_err("v8r machine: platform_create_rpmsg_vdev(%u, role %u): %s\n", vdev_index, role,
			  !p ? "no platform" : p->link ? "the device exists (release it first)" :
			  vdev_index ? "there is one device per region: index 0" : "role is not DRIVER or DEVICE");
		return NULL;
	}
	struct v8r_link *link = calloc(1, sizeof(*link));
	if (!link)
		return NULL;
	link->plat = p;
	link->role = role;
	link->rst_cb = rst_cb;
	int ret = p->rsc_table ? v8r_rsc_create(link, ns_bind_cb) : v8r_static_create(link, ns_bind_cb);
	if (ret) {
		metal_err("v8r machine: making the rpmsg device failed (%d)\n", ret);
		free(link);
		return NULL;
	}
	link->link_up = 1;
	p->link = link;
	return rpmsg_virtio_get_rpmsg_device(&link->rvdev);
}

/* Offset of the used index of the vring at ring_off. */
static unsigned long used_idx_off(const struct v8r_layout *l, uint32_t ring_off)
{
	return ring_off + align_up(16u * l->num + 6u + 2u * l->num, V8R_ALIGN) + 2u;
}

/* Remote: the host cleared DRIVER_OK, or the used indices this side owns changed under it (the host re-initialised). */
static int host_reset(struct v8r_link *link)
{
	struct v8r_platform *p = link->plat;
	uint8_t status = 0;
	if (virtio_get_status(link->vdev, &status) || !(status & VIRTIO_CONFIG_STATUS_DRIVER_OK))
		return 1;
	if (p->rsc_table)
		return 0; /* the rings' places come from the table: the status is what a re-initialisation changes */
	struct virtqueue *vqs[2] = { link->rvdev.rvq, link->rvdev.svq };
	uint32_t rings[2] = { p->layout.vring1_off, p->layout.vring0_off };
	for (int i = 0; i < 2; i++)
		if (vqs[i] && metal_io_read16(&p->io, used_idx_off(&p->layout, rings[i])) != vqs[i]->vq_used_cons_idx)
			return 1;
	return 0;
}

static void process(struct v8r_link *link)
{
	if (link->role == VIRTIO_DEV_DEVICE && link->link_up && host_reset(link)) {
		link->link_up = 0;
		link->resets++;
		metal_info("v8r machine: the host re-initialised the link\n");
		if (link->rst_cb)
			link->rst_cb(link->vdev);
		return;
	}
	if (link->plat->rsc_table)
		v8r_rsc_process(link);
	else
		virtqueue_notification(link->rvdev.rvq);
}

/*
 * Kicks on the receive ring: asked for only while this side may wait for
 * them. Processing runs with them off (the peer publishes without ringing,
 * and we drain what it published), and before waiting they are asked for
 * again and the ring re-checked: messages that came meanwhile are processed
 * without waiting (virtqueue_enable_cb() says so), so none is missed and a
 * busy pair does not ring a doorbell per message.
 */
static int rx_pending_after_rearm(struct v8r_link *link)
{
	return link->link_up && link->rvdev.rvq && virtqueue_enable_cb(link->rvdev.rvq) > 0;
}

int v8r_platform_poll_timeout(void *platform, unsigned int timeout_ms)
{
	struct v8r_platform *p = platform;
	if (!p || !p->link)
		return -EINVAL;
	if (!rx_pending_after_rearm(p->link))
		v8r_port_wait(timeout_ms);
	struct v8r_link *link = p->link; /* a callback run while waiting may have released it */
	if (link) {
		if (link->link_up && link->rvdev.rvq)
			virtqueue_disable_cb(link->rvdev.rvq);
		process(link);
	}
	return 0;
}

int platform_poll(void *platform)
{
	struct v8r_platform *p = platform;
	return v8r_platform_poll_timeout(platform, p ? p->poll_ms : 0);
}

int platform_poll_on_vdev_reset(struct rpmsg_device *rpdev, void *platform)
{
	struct v8r_platform *p = platform;
	if (!p || !p->link || rpdev != &p->link->rvdev.rdev)
		return -EINVAL;
	int before = p->link->resets;
	int ret = platform_poll(platform);
	return ret ? ret : p->link && p->link->resets != before;
}

#undef platform_release_rpmsg_vdev
void platform_release_rpmsg_vdev(struct rpmsg_device *rpdev, void *platform)
{
	struct v8r_platform *p = platform;
	if (!p || !p->link || rpdev != &p->link->rvdev.rdev)
		return;
	struct v8r_link *link = p->link;
	p->link = NULL;
	rpmsg_deinit_vdev(&link->rvdev);
	if (p->rsc_table)
		v8r_rsc_release(link);
	free(link);
}

static struct v8r_platform *the_platform(struct rpmsg_device *rpdev);

void v8r_platform_release_rpmsg_vdev_of(struct rpmsg_device *rpdev)
{
	platform_release_rpmsg_vdev(rpdev, the_platform(rpdev));
}

static struct v8r_platform *the_platform(struct rpmsg_device *rpdev)
{
	if (!rpdev)
		return NULL;
	struct rpmsg_virtio_device *rvdev = metal_container_of(rpdev, struct rpmsg_virtio_device, rdev);
	struct v8r_link *link = metal_container_of(rvdev, struct v8r_link, rvdev);
	return link->plat;
}

void platform_cleanup(void *platform)
{
	struct v8r_platform *p = platform;
	if (!p)
		return;
	if (p->link)
		platform_release_rpmsg_vdev(&p->link->rvdev.rdev, p);
	free(p->mirror);
	free(p);
	metal_finish();
}
