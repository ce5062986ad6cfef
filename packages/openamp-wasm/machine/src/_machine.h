/*
 * v8r machine port, internal: the platform state, the layout of one RPMsg
 * link in the region, and the port's imports (module "v8r_port"), which the
 * program's host implements (openamp-wasm's machine-port.ts, over hooks the
 * guest OS gives it: a shared-memory window, a doorbell, a way to wait).
 */
#ifndef V8R_MACHINE_H
#define V8R_MACHINE_H

#include <stdint.h>
#include <metal/io.h>
#include <openamp/remoteproc.h>
#include <openamp/rpmsg_virtio.h>
#include "../../csrc/_platform.h"

#define V8R_PORT_IMPORT(name) __attribute__((import_module("v8r_port"), import_name(#name)))

/**
 * Select the shared-memory region named name (len bytes; len 0: the only one)
 * as the one the v8r_shm imports reach. 0 and its size and physical base, or
 * a negative errno (the host logs why).
 */
V8R_PORT_IMPORT(shm_open) int v8r_port_shm_open(const char *name, uint32_t len, uint32_t *size, uint32_t *phys);
/** Select doorbell id (-1: the only one). The id, or a negative errno (the host logs why). */
V8R_PORT_IMPORT(doorbell_open) int v8r_port_doorbell_open(int32_t id);
/** Ring the peer's doorbell. */
V8R_PORT_IMPORT(notify) void v8r_port_notify(void);
/** Wait until the doorbell rang (1, the ring is consumed) or timeout_ms passed (0). May suspend the program. */
V8R_PORT_IMPORT(wait) int v8r_port_wait(uint32_t timeout_ms);

/* Zephyr's static-vrings layout (openamp-wasm's staticVringsLayout computes the same). */
#define V8R_ALIGN 4u
#define V8R_BUF_SIZE 512u
/* With a resource table, the table takes the first 256 bytes instead of the status byte's area. */
#define V8R_RSC_AREA 0x100u

/** Where one RPMsg link lives in the region (offsets). */
struct v8r_layout {
	uint32_t num;        /* entries per vring */
	uint32_t reserved;   /* status area (static vrings) or resource table area */
	uint32_t pool_off;   /* host's buffer pool */
	uint32_t pool_size;
	uint32_t vring1_off; /* host -> remote */
	uint32_t vring0_off; /* remote -> host */
};

/** One rpmsg virtio device made by platform_create_rpmsg_vdev(). */
struct v8r_link {
	struct v8r_platform *plat;
	unsigned int role;
	struct virtio_device *vdev; /* &svdev (static vrings) or the remoteproc's */
	struct rpmsg_virtio_device rvdev;
	struct rpmsg_virtio_shm_pool pool;
	void (*rst_cb)(struct virtio_device *vdev);
	int resets;  /* host re-initialisations a remote noticed */
	int link_up; /* remote: DRIVER_OK seen */
	uint8_t status; /* static vrings, host: the status byte as it last wrote it */
	/* static vrings */
	struct virtio_device svdev;
	struct virtio_vring_info vrings[2];
	/* resource table */
	struct remoteproc rproc;
	struct remoteproc_mem mem;
};

/** What platform_init() found. */
struct v8r_platform {
	char shm_id[64];
	int32_t evtchn;    /* -1: the only one */
	int rsc_table;     /* vrings=rsc_table */
	uint32_t poll_ms;
	uint32_t size;
	metal_phys_addr_t phys;
	unsigned char *mirror;
	struct metal_io_region io;
	struct v8r_layout layout;
	struct v8r_link *link;
};

/** The layout of a link in a region of size bytes whose first reserved bytes are taken; 0 or -1 when too small. */
int v8r_layout_compute(struct v8r_layout *l, uint32_t size, uint32_t reserved);
/** Static vrings: make the link's virtio device and rpmsg device. 0 or an OpenAMP error. */
int v8r_static_create(struct v8r_link *link, rpmsg_ns_bind_cb ns_bind_cb);
/** Resource table: the same through the remoteproc API. */
int v8r_rsc_create(struct v8r_link *link, rpmsg_ns_bind_cb ns_bind_cb);
/** Resource table: undo v8r_rsc_create(). */
void v8r_rsc_release(struct v8r_link *link);
/** Process what arrived on the link's rings. */
void v8r_rsc_process(struct v8r_link *link);
/** Remote: sleep in steps until the host set DRIVER_OK at status_off (woken early by the doorbell). */
void v8r_wait_driver_ok(struct v8r_platform *plat, unsigned long status_off);

#endif
