/*
 * The native twin: two machines (a host and a remote) in one process, each
 * with its own libmetal region (a linear-memory mirror, reached through the
 * v8r_shm accessors as in wasm) over one shared-memory block, set up with the
 * remoteproc API from a resource table, talking through the public API only.
 */
#ifndef V8R_TWIN_H
#define V8R_TWIN_H

#include <stdio.h>
#include <stdlib.h>
#include <metal/io.h>
#include <openamp/open_amp.h>
#include "../check.h"


#define TWIN_SHM_PA 0x70000000ul
#define TWIN_SHM_SIZE 0x20000ul
#define TWIN_VRING0 0x1000ul /* host receives */
#define TWIN_VRING1 0x3000ul /* host sends */
#define TWIN_NUM 64u
#define TWIN_ALIGN 0x1000u
#define TWIN_RX_POOL 0x8000ul /* host RX buffers (r2h 512 bytes) */
#define TWIN_TX_POOL 0x10000ul /* host TX buffers (h2r 256 bytes) */
#define TWIN_POOL_SIZE 0x8000ul

struct machine {
	const char *name;
	unsigned char *mirror;
	metal_phys_addr_t phys;
	struct metal_io_region io;
	struct remoteproc rproc;
	struct remoteproc_mem mem;
	struct virtio_device *vdev;
	struct rpmsg_virtio_device rvdev;
	struct rpmsg_virtio_shm_pool pools[2];
	struct machine *peer;
	uint32_t pending[256]; /* notify ids sent to this machine, not yet delivered */
	unsigned int npending;
	int configs, starts, stops, shutdowns, vendor_entries;
};

extern struct machine twin_host, twin_remote;

/** Write the resource table into shared memory (as a loader would), set up both machines' regions. */
void twin_boot(void);
/** Host: remoteproc set-up and RPMsg init; ns_bind is the host's name-service callback. */
void twin_host_up(rpmsg_ns_bind_cb ns_bind);
/** Remote: the same (the host must be up). */
void twin_remote_up(void);
/** Deliver the pending notifications (both ways) until none is left. */
void twin_pump(void);
/** Tear both down (rpmsg_deinit_vdev, remoteproc_remove_virtio, stop, shutdown, remove). */
void twin_down(void);

#endif
