#define _POSIX_C_SOURCE 200809L
/*
 * Native test: a host and a remote run against each other on one plain
 * buffer, with the same sources the wasm module is built from.
 * Built with -fsanitize=address,undefined by scripts/test-c.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <metal/sys.h>
#include <openamp/open_amp.h>
#include "check.h"
#include <openamp/remoteproc_virtio.h>
#include "../csrc/v8r_shm_io.h"
#include "../csrc/_rpmsg_virtio_internal.h"
#include "platform_native.h"

#define SHM_SIZE 65536u

struct side {
	const char *name;
	unsigned char *mirror; /* the side's linear-memory mirror of the region */
	struct metal_io_region io;
	metal_phys_addr_t phys;
	struct virtio_device vdev;
	struct virtio_vring_info vrings[2];
	struct rpmsg_virtio_device rvdev;
	struct rpmsg_virtio_shm_pool pool;
	int kicks;
};

static struct side host = { .name = "host" }, remote = { .name = "remote" };
static unsigned int g_num;
static unsigned long g_vq0_off, g_vq1_off, g_pool_off, g_pool_size;

static unsigned long align_up(unsigned long v, unsigned long a) { return (v + a - 1) & ~(a - 1); }
static unsigned long shm_need(unsigned int n)
{
	return 2 * (align_up(512ul * n, 4) + align_up(vring_size(n, 4), 4));
}

static void compute_layout(void)
{
	unsigned int n = 1;
	while (shm_need(n + 1) < SHM_SIZE - 4)
		n++;
	g_num = 1;
	while (g_num * 2 <= n)
		g_num *= 2;
	g_pool_off = 4;
	g_pool_size = shm_need(g_num);
	g_vq1_off = g_pool_off + 2 * align_up(512ul * g_num, 4);
	g_vq0_off = align_up(g_vq1_off + vring_size(g_num, 4), 4);
}

static struct side *side_of(struct virtio_device *vdev) { return vdev == &host.vdev ? &host : &remote; }
static uint8_t get_status(struct virtio_device *vdev)
{
	if (vdev->role == VIRTIO_DEV_DRIVER)
		return VIRTIO_CONFIG_STATUS_DRIVER_OK;
	return metal_io_read8(&side_of(vdev)->io, 0);
}
static void set_status(struct virtio_device *vdev, uint8_t s) { metal_io_write8(&side_of(vdev)->io, 0, s); }
static uint32_t get_features(struct virtio_device *vdev)
{
	(void)vdev;
	return 1u << VIRTIO_RPMSG_F_NS;
}
static void notify(struct virtqueue *vq) { side_of(vq->vq_dev)->kicks++; }
static const struct virtio_dispatch dispatch = {
	.get_status = get_status, .set_status = set_status, .get_features = get_features, .notify = notify
};

static void setup_side(struct side *s, unsigned int role)
{
	s->phys = 0;
	v8r_shm_io_init(&s->io, s->mirror, &s->phys, SHM_SIZE);
	memset(&s->vdev, 0, sizeof(s->vdev));
	memset(s->vrings, 0, sizeof(s->vrings));
	s->vdev.role = role;
	s->vdev.func = &dispatch;
	s->vdev.vrings_num = 2;
	s->vdev.vrings_info = s->vrings;
	unsigned long offs[2] = { g_vq0_off, g_vq1_off };
	for (int i = 0; i < 2; i++) {
		s->vrings[i].io = &s->io;
		s->vrings[i].info.vaddr = metal_io_virt(&s->io, offs[i]);
		s->vrings[i].info.num_descs = (uint16_t)g_num;
		s->vrings[i].info.align = 4;
		s->vrings[i].notifyid = 10u + (unsigned int)i;
	}
	s->kicks = 0;
}

/* Deliver pending kicks: each side drains its receive queue. */
static void pump(void)
{
	for (int round = 0; round < 64 && (host.kicks || remote.kicks); round++) {
		if (remote.kicks) {
			remote.kicks = 0;
			virtqueue_notification(host.rvdev.rvq);
		}
		if (host.kicks) {
			host.kicks = 0;
			virtqueue_notification(remote.rvdev.rvq);
		}
	}
}

/* Region offset of a virtqueue's used ring. */
static unsigned long vq_used_offset(struct virtqueue *vq) { return vq->vq_v8r_used; }

#include "test_cases.inc"
#include "test_behaviours.inc"
#include "test_rx_cache.inc"

int main(void)
{
	native_shm_size = SHM_SIZE;
	native_shm = calloc(1, SHM_SIZE);
	host.mirror = aligned_alloc(SHM_SIZE, SHM_SIZE);
	remote.mirror = aligned_alloc(SHM_SIZE, SHM_SIZE);
	CHECK(native_shm && host.mirror && remote.mirror);
	metal_init(NULL);
	compute_layout();
	CHECK(g_num == 32 && g_vq1_off == 0x8004 && g_vq0_off == 0x8354);
	run_all_cases();
	run_behaviour_cases();
	run_rx_cache_cases();
	CHECK(native_faults == 0);
	free(native_shm);
	free(host.mirror);
	free(remote.mirror);
	printf("ctest: all native checks passed\n");
	return 0;
}
