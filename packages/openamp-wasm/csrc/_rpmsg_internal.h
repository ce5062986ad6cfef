/* v8r: helpers shared by rpmsg.c and rpmsg_virtio.c. */
#ifndef V8R_RPMSG_INTERNAL_H
#define V8R_RPMSG_INTERNAL_H

#include <openamp/rpmsg.h>

/** Wire header, decoded. */
struct rpmsg_v8r_hdr {
	uint32_t src;
	uint32_t dst;
	uint32_t reserved;
	uint16_t len;
	uint16_t flags;
};

struct rpmsg_endpoint *rpmsg_get_endpoint(struct rpmsg_device *rdev, const char *name, uint32_t addr,
					  uint32_t dest_addr);
void rpmsg_register_endpoint(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept, const char *name, uint32_t src,
			     uint32_t dest, rpmsg_ept_cb cb, rpmsg_ns_unbind_cb ns_unbind_cb);
void rpmsg_unregister_endpoint(struct rpmsg_endpoint *ept);
int rpmsg_send_ns_message(struct rpmsg_endpoint *ept, unsigned long flags, int wait);
/** Handle a name-service payload (already copied out of shared memory). */
void rpmsg_v8r_ns_received(struct rpmsg_device *rdev, const unsigned char *data, size_t len);
/** Set an endpoint's destination and run the device's bind hook when it changed. */
void rpmsg_v8r_set_dest(struct rpmsg_endpoint *ept, uint32_t dest);
/** Register an endpoint whose NS announcement is sent later by rpmsg_virtio_v8r_flush_ns(). */
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
