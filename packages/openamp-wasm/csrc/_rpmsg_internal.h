/* v8r: RPMsg internals shared by rpmsg.c, the rpmsg_virtio files and the glue. */
#ifndef V8R_RPMSG_INTERNAL_H
#define V8R_RPMSG_INTERNAL_H

#include <openamp/rpmsg.h>

#define RPMSG_NS_CREATE 0
#define RPMSG_NS_DESTROY 1
/** Name-service message: char name[32]; u32 addr; u32 flags. */
#define RPMSG_NS_MSG_SIZE 40u
/** Message header: u32 src, dst, reserved; u16 len, flags. */
#define RPMSG_HDR_SIZE 16u

/** A blocking send waits at most 15 s, in 1 ms steps (as upstream). */
#define RPMSG_TICK_COUNT 15000000
#define RPMSG_TICKS_PER_INTERVAL 1000

/** Wire header, decoded. */
struct rpmsg_v8r_hdr {
	uint32_t src;
	uint32_t dst;
	uint32_t reserved;
	uint16_t len;
	uint16_t flags;
};

void rpmsg_ept_incref(struct rpmsg_endpoint *ept);
/** Drop a reference; at 0 the endpoint's release_cb runs (or its rdev is cleared). */
void rpmsg_ept_decref(struct rpmsg_endpoint *ept);
struct rpmsg_endpoint *rpmsg_get_endpoint(struct rpmsg_device *rdev, const char *name, uint32_t addr,
					  uint32_t dest_addr);
void rpmsg_register_endpoint(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept, const char *name, uint32_t src,
			     uint32_t dest, rpmsg_ept_cb cb, rpmsg_ns_unbind_cb ns_unbind_cb, void *priv);
/** Take the endpoint off its device (once) and drop the device's reference. */
void rpmsg_unregister_endpoint(struct rpmsg_endpoint *ept);
int rpmsg_send_ns_message(struct rpmsg_endpoint *ept, unsigned long flags, int wait);
/** Handle a name-service payload (already copied out of shared memory). */
void rpmsg_v8r_ns_received(struct rpmsg_device *rdev, const unsigned char *data, size_t len);
/** Set an endpoint's destination and run the device's bind hook when it changed. */
void rpmsg_v8r_set_dest(struct rpmsg_endpoint *ept, uint32_t dest);
/**
 * Register an endpoint of the glue (payloads by offset); its name-service
 * announcement is sent later by rpmsg_virtio_v8r_flush_ns(). Fixed addresses
 * below 1024 must be unused too (RPMSG_ERR_ADDR).
 */
int rpmsg_v8r_create_ept(struct rpmsg_endpoint *ept, struct rpmsg_device *rdev, const char *name, uint32_t src,
			 uint32_t dest, rpmsg_v8r_raw_cb raw_cb);
/** Destroy an endpoint; NS destroy is sent without waiting for a buffer. */
void rpmsg_v8r_destroy_ept(struct rpmsg_endpoint *ept);

static inline void rpmsg_v8r_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline uint32_t rpmsg_v8r_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline size_t rpmsg_v8r_strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

#endif
