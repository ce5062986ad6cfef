/*
 * An OpenAMP program ported to v8r: a host and a remote over one 64 KiB
 * shared-memory block in Zephyr's static-vrings layout, the remote echoing
 * what the host sends. The application code is plain OpenAMP; only the
 * platform part (make_region) is v8r's: each side reaches shared memory
 * through its own libmetal region whose accesses are the v8r_shm operations
 * and whose addresses point into a linear-memory mirror.
 *
 * Natively, ctest/platform_native.c stands in for the v8r_shm imports (in
 * wasm, TypeScript implements them over the SharedArrayBuffer window).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <metal/sys.h>
#include <openamp/open_amp.h>
#include "../../csrc/v8r_shm_io.h"

extern unsigned char *native_shm; /* the block the native v8r_shm accessors reach */
extern size_t native_shm_size;

#define SHM_SIZE 0x10000u
#define NUM 32u          /* Zephyr's static-vrings layout for 64 KiB */
#define POOL 0x4u
#define VRING1 0x8004u   /* host -> remote */
#define VRING0 0x8354u   /* remote -> host */

struct side {
	unsigned char *mirror;
	metal_phys_addr_t phys;
	struct metal_io_region io;
	struct virtio_vring_info vrings[2];
	struct virtio_device vdev;
	struct rpmsg_virtio_device rvdev;
	int kicked; /* the peer notified this side */
};

static struct side host, remote;

/* --- platform: the status byte, fixed features, notifications --- */
static struct side *side_of(struct virtio_device *vdev) { return vdev == &host.vdev ? &host : &remote; }
static uint8_t get_status(struct virtio_device *vdev) { return metal_io_read8(&side_of(vdev)->io, 0); }
static void set_status(struct virtio_device *vdev, uint8_t status) { metal_io_write8(&side_of(vdev)->io, 0, status); }
static uint32_t get_features(struct virtio_device *vdev) { (void)vdev; return 1u << VIRTIO_RPMSG_F_NS; }
static void notify(struct virtqueue *vq) { (side_of(vq->vq_dev) == &host ? &remote : &host)->kicked = 1; }

static const struct virtio_dispatch dispatch = {
	.get_status = get_status, .set_status = set_status, .get_features = get_features, .notify = notify,
};

static void make_region(struct side *s, unsigned int role)
{
	s->mirror = aligned_alloc(SHM_SIZE, SHM_SIZE);
	s->phys = 0;
	v8r_shm_io_init(&s->io, s->mirror, &s->phys, SHM_SIZE);
	unsigned long ring[2] = { VRING0, VRING1 };
	for (int i = 0; i < 2; i++) {
		s->vrings[i].io = &s->io;
		s->vrings[i].info.vaddr = metal_io_virt(&s->io, ring[i]);
		s->vrings[i].info.num_descs = NUM;
		s->vrings[i].info.align = 4;
	}
	s->vdev.role = role;
	s->vdev.vrings_num = 2;
	s->vdev.vrings_info = s->vrings;
	s->vdev.func = &dispatch;
}

/* --- application: plain OpenAMP --- */
static struct rpmsg_endpoint host_ept, remote_ept;

static int echo(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	return rpmsg_sendto(ept, data, (int)len, src) == (int)len ? RPMSG_SUCCESS : -1;
}

static int print_echo(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept, (void)priv;
	printf("host got %zu bytes from %u: %.*s\n", len, (unsigned int)src, (int)len, (const char *)data);
	return RPMSG_SUCCESS;
}

static void ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	if (rpmsg_create_ept(&host_ept, rdev, name, RPMSG_ADDR_ANY, dest, print_echo, NULL) == 0)
		printf("host bound to \"%s\" at %u\n", name, (unsigned int)dest);
}

/* Deliver notifications until both sides are idle. */
static void run(void)
{
	while (host.kicked || remote.kicked) {
		struct side *s = remote.kicked ? &remote : &host;
		s->kicked = 0;
		virtqueue_notification(s->rvdev.rvq);
	}
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	metal_init(&params);
	native_shm_size = SHM_SIZE;
	native_shm = calloc(1, SHM_SIZE);
	make_region(&host, RPMSG_HOST);
	make_region(&remote, RPMSG_REMOTE);
	struct rpmsg_virtio_shm_pool pool;
	rpmsg_virtio_init_shm_pool(&pool, metal_io_virt(&host.io, POOL), 2 * NUM * RPMSG_BUFFER_SIZE);
	if (rpmsg_init_vdev(&host.rvdev, &host.vdev, ns_bind, &host.io, &pool) ||
	    rpmsg_init_vdev(&remote.rvdev, &remote.vdev, NULL, &remote.io, NULL))
		return 1;
	rpmsg_create_ept(&remote_ept, &remote.rvdev.rdev, "rpmsg-echo", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, echo, NULL);
	run(); /* the host hears the name announcement */
	rpmsg_send(&host_ept, "hello", 5);
	uint32_t size;
	char *buf = rpmsg_get_tx_payload_buffer(&host_ept, &size, 1); /* a pointer into the host's mirror */
	int n = snprintf(buf, size, "zero copy, %u bytes free", (unsigned int)size);
	rpmsg_send_nocopy(&host_ept, buf, n); /* copies the mirror's bytes to shared memory, then sends */
	run();
	rpmsg_deinit_vdev(&remote.rvdev);
	rpmsg_deinit_vdev(&host.rvdev);
	free(host.mirror);
	free(remote.mirror);
	free(native_shm);
	return 0;
}
