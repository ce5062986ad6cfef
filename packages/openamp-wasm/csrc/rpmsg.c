/*
 * v8r OpenAMP subset: RPMsg endpoints, address allocation and name service.
 * Transport-independent; the transport is reached through rdev->ops.
 */
#include <string.h>
#include <metal/mutex.h>
#include <openamp/rpmsg.h>
#include "_rpmsg_internal.h"

/*
 * Dynamic addresses: the first free bit at or after rdev->bitnext, without
 * wrapping (as upstream searches), so a re-created endpoint does not get the
 * address of the one just destroyed.
 */
static uint32_t alloc_address(struct rpmsg_device *rdev)
{
	for (unsigned int bit = rdev->bitnext; bit < RPMSG_ADDR_BMP_SIZE; bit++) {
		if (!metal_bitmap_is_bit_set(rdev->bitmap, (int)bit)) {
			metal_bitmap_set_bit(rdev->bitmap, (int)bit);
			rdev->bitnext = (bit + 1u) % RPMSG_ADDR_BMP_SIZE;
			return RPMSG_RESERVED_ADDRESSES + bit;
		}
	}
	return RPMSG_ADDR_ANY;
}

static int in_bitmap(uint32_t addr)
{
	return addr >= RPMSG_RESERVED_ADDRESSES && addr < RPMSG_RESERVED_ADDRESSES + RPMSG_ADDR_BMP_SIZE;
}

static void release_address(struct rpmsg_device *rdev, uint32_t addr)
{
	if (in_bitmap(addr))
		metal_bitmap_clear_bit(rdev->bitmap, (int)(addr - RPMSG_RESERVED_ADDRESSES));
}

/*
 * Reserve src, or a dynamic address when src is ANY. Returns 0 and the address
 * in *addr, RPMSG_ERR_ADDR when it is taken or none is left, RPMSG_ERR_PARAM for
 * a fixed address at or above the bitmap. Fixed addresses below 1024 are not
 * tracked (upstream trusts their authors); with unique_low they must also be
 * unused by another endpoint of the device.
 */
static int claim_address(struct rpmsg_device *rdev, uint32_t src, int unique_low, uint32_t *addr)
{
	if (src == RPMSG_ADDR_ANY) {
		*addr = alloc_address(rdev);
		return *addr == RPMSG_ADDR_ANY ? RPMSG_ERR_ADDR : 0;
	}
	*addr = src;
	if (src >= RPMSG_RESERVED_ADDRESSES) {
		if (!in_bitmap(src))
			return RPMSG_ERR_PARAM;
		int bit = (int)(src - RPMSG_RESERVED_ADDRESSES);
		if (metal_bitmap_is_bit_set(rdev->bitmap, bit))
			return RPMSG_ERR_ADDR;
		metal_bitmap_set_bit(rdev->bitmap, bit);
		return 0;
	}
	if (unique_low && rpmsg_get_endpoint(rdev, NULL, src, RPMSG_ADDR_ANY))
		return RPMSG_ERR_ADDR;
	return 0;
}

void rpmsg_ept_incref(struct rpmsg_endpoint *ept)
{
	if (ept)
		ept->refcnt++;
}

void rpmsg_ept_decref(struct rpmsg_endpoint *ept)
{
	if (ept && ept->refcnt && --ept->refcnt == 0) {
		if (ept->release_cb)
			ept->release_cb(ept);
		else
			ept->rdev = NULL;
	}
}

struct rpmsg_endpoint *rpmsg_get_endpoint(struct rpmsg_device *rdev, const char *name, uint32_t addr,
					  uint32_t dest_addr)
{
	struct metal_list *node;
	metal_list_for_each(&rdev->endpoints, node) {
		struct rpmsg_endpoint *ept = metal_container_of(node, struct rpmsg_endpoint, node);
		if (addr != RPMSG_ADDR_ANY && ept->addr == addr)
			return ept;
		if (!name || strncmp(ept->name, name, RPMSG_NAME_SIZE) != 0)
			continue;
		if (dest_addr != RPMSG_ADDR_ANY && ept->dest_addr == dest_addr)
			return ept;
		if (addr == RPMSG_ADDR_ANY && ept->dest_addr == RPMSG_ADDR_ANY)
			return ept;
	}
	return NULL;
}

void rpmsg_register_endpoint(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept, const char *name, uint32_t src,
			     uint32_t dest, rpmsg_ept_cb cb, rpmsg_ns_unbind_cb ns_unbind_cb, void *priv)
{
	memset(ept->name, 0, sizeof(ept->name));
	if (name)
		memcpy(ept->name, name, rpmsg_v8r_strnlen(name, RPMSG_NAME_SIZE - 1)); /* NUL-terminated, as upstream */
	ept->refcnt = 1;
	ept->addr = src;
	ept->dest_addr = dest;
	ept->cb = cb;
	ept->ns_unbind_cb = ns_unbind_cb;
	ept->priv = priv;
	ept->rdev = rdev;
	ept->v8r_raw_cb = NULL;
	ept->v8r_fixed_dest = dest != RPMSG_ADDR_ANY;
	ept->v8r_ns_pending = 0;
	metal_list_add_tail(&rdev->endpoints, &ept->node);
}

void rpmsg_unregister_endpoint(struct rpmsg_endpoint *ept)
{
	struct rpmsg_device *rdev = ept->rdev;
	if (!rdev || !metal_list_find_node(&rdev->endpoints, &ept->node))
		return;
	metal_mutex_acquire(&rdev->lock);
	release_address(rdev, ept->addr);
	metal_list_del(&ept->node);
	metal_mutex_release(&rdev->lock);
	rpmsg_ept_decref(ept); /* may free the endpoint (release_cb) */
}

int rpmsg_send_ns_message(struct rpmsg_endpoint *ept, unsigned long flags, int wait)
{
	unsigned char msg[RPMSG_NS_MSG_SIZE];
	memcpy(msg, ept->name, RPMSG_NAME_SIZE);
	rpmsg_v8r_put32(msg + 32, ept->addr);
	rpmsg_v8r_put32(msg + 36, (uint32_t)flags);
	int ret = rpmsg_send_offchannel_raw(ept, ept->addr, RPMSG_NS_EPT_ADDR, msg, (int)sizeof(msg), wait);
	return ret < 0 ? ret : RPMSG_SUCCESS;
}

int rpmsg_create_ept(struct rpmsg_endpoint *ept, struct rpmsg_device *rdev, const char *name, uint32_t src,
		     uint32_t dest, rpmsg_ept_cb cb, rpmsg_ns_unbind_cb ns_unbind_cb)
{
	if (!ept || !rdev || !cb)
		return RPMSG_ERR_PARAM;
	metal_mutex_acquire(&rdev->lock);
	uint32_t addr;
	int status = claim_address(rdev, src, 0, &addr);
	if (!status)
		rpmsg_register_endpoint(rdev, ept, name, addr, dest, cb, ns_unbind_cb, ept->priv);
	metal_mutex_release(&rdev->lock);
	if (status)
		return status;
	if (ept->name[0] && rdev->support_ns && ept->dest_addr == RPMSG_ADDR_ANY) {
		status = rpmsg_send_ns_message(ept, RPMSG_NS_CREATE, 1);
		if (status)
			rpmsg_unregister_endpoint(ept);
	}
	return status;
}

int rpmsg_v8r_create_ept(struct rpmsg_endpoint *ept, struct rpmsg_device *rdev, const char *name, uint32_t src,
			 uint32_t dest, rpmsg_v8r_raw_cb raw_cb)
{
	if (!ept || !rdev || !raw_cb)
		return RPMSG_ERR_PARAM;
	metal_mutex_acquire(&rdev->lock);
	uint32_t addr;
	int status = claim_address(rdev, src, 1, &addr);
	if (!status) {
		rpmsg_register_endpoint(rdev, ept, name, addr, dest, NULL, NULL, ept->priv);
		ept->v8r_raw_cb = raw_cb;
		ept->v8r_ns_pending = ept->name[0] && rdev->support_ns && dest == RPMSG_ADDR_ANY;
	}
	metal_mutex_release(&rdev->lock);
	return status;
}

static void destroy(struct rpmsg_endpoint *ept, int wait)
{
	struct rpmsg_device *rdev = ept->rdev;
	if (ept->name[0] && rdev->support_ns && ept->addr >= RPMSG_RESERVED_ADDRESSES && !ept->v8r_ns_pending)
		(void)rpmsg_send_ns_message(ept, RPMSG_NS_DESTROY, wait);
	rpmsg_unregister_endpoint(ept);
}

void rpmsg_destroy_ept(struct rpmsg_endpoint *ept)
{
	if (ept && ept->rdev)
		destroy(ept, 1);
}

void rpmsg_v8r_destroy_ept(struct rpmsg_endpoint *ept)
{
	if (ept && ept->rdev)
		destroy(ept, 0);
}

void rpmsg_v8r_set_dest(struct rpmsg_endpoint *ept, uint32_t dest)
{
	uint32_t old = ept->dest_addr;
	ept->dest_addr = dest;
	if (old != dest && ept->rdev && ept->rdev->v8r_bind_hook)
		ept->rdev->v8r_bind_hook(ept, old);
}

/* NS destroy: the endpoint of that service unbinds (kept alive through its callbacks), then the device's callback. */
static void ns_destroyed(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept, const char *name, uint32_t addr)
{
	uint32_t old = RPMSG_ADDR_ANY;
	if (ept) {
		old = ept->dest_addr;
		ept->dest_addr = RPMSG_ADDR_ANY;
		rpmsg_ept_incref(ept);
	}
	metal_mutex_release(&rdev->lock);
	if (ept) {
		if (old != RPMSG_ADDR_ANY && rdev->v8r_bind_hook)
			rdev->v8r_bind_hook(ept, old);
		if (ept->ns_unbind_cb)
			ept->ns_unbind_cb(ept);
	}
	if (rdev->ns_unbind_cb)
		rdev->ns_unbind_cb(rdev, name, addr);
	if (ept) {
		metal_mutex_acquire(&rdev->lock);
		rpmsg_ept_decref(ept);
		metal_mutex_release(&rdev->lock);
	}
}

void rpmsg_v8r_ns_received(struct rpmsg_device *rdev, const unsigned char *data, size_t len)
{
	char name[RPMSG_NAME_SIZE];
	if (len != RPMSG_NS_MSG_SIZE) {
		rdev->v8r_ns_dropped++;
		return;
	}
	memcpy(name, data, RPMSG_NAME_SIZE);
	uint32_t addr = rpmsg_v8r_get32(data + 32);
	uint32_t flags = rpmsg_v8r_get32(data + 36);
	if (!memchr(name, 0, RPMSG_NAME_SIZE) || addr == RPMSG_ADDR_ANY || flags > RPMSG_NS_DESTROY) {
		rdev->v8r_ns_dropped++;
		return;
	}
	metal_mutex_acquire(&rdev->lock);
	struct rpmsg_endpoint *ept = rpmsg_get_endpoint(rdev, name, RPMSG_ADDR_ANY, addr);
	if (flags == RPMSG_NS_DESTROY) {
		ns_destroyed(rdev, ept, name, addr);
	} else if (!ept) {
		metal_mutex_release(&rdev->lock);
		if (rdev->ns_bind_cb)
			rdev->ns_bind_cb(rdev, name, addr);
	} else {
		metal_mutex_release(&rdev->lock);
		rpmsg_v8r_set_dest(ept, addr);
	}
}

int rpmsg_send_offchannel_raw(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst, const void *data, int len,
			      int wait)
{
	if (!ept || !ept->rdev || !data || dst == RPMSG_ADDR_ANY || len < 0)
		return RPMSG_ERR_PARAM;
	struct rpmsg_device *rdev = ept->rdev;
	if (!rdev->ops.send_offchannel_raw)
		return RPMSG_ERR_PARAM;
	return rdev->ops.send_offchannel_raw(rdev, src, dst, data, len, wait);
}

void rpmsg_hold_rx_buffer(struct rpmsg_endpoint *ept, void *rxbuf)
{
	if (ept && ept->rdev && rxbuf && ept->rdev->ops.hold_rx_buffer)
		ept->rdev->ops.hold_rx_buffer(ept->rdev, rxbuf);
}

void rpmsg_release_rx_buffer(struct rpmsg_endpoint *ept, void *rxbuf)
{
	if (ept && ept->rdev && rxbuf && ept->rdev->ops.release_rx_buffer)
		ept->rdev->ops.release_rx_buffer(ept->rdev, rxbuf);
}

void *rpmsg_get_tx_payload_buffer(struct rpmsg_endpoint *ept, uint32_t *len, int wait)
{
	if (!ept || !ept->rdev || !len || !ept->rdev->ops.get_tx_payload_buffer)
		return NULL;
	return ept->rdev->ops.get_tx_payload_buffer(ept->rdev, len, wait);
}

int rpmsg_release_tx_buffer(struct rpmsg_endpoint *ept, void *txbuf)
{
	if (!ept || !ept->rdev || !txbuf)
		return RPMSG_ERR_PARAM;
	if (!ept->rdev->ops.release_tx_buffer)
		return RPMSG_ERR_PERM;
	return ept->rdev->ops.release_tx_buffer(ept->rdev, txbuf);
}

int rpmsg_send_offchannel_nocopy(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst, const void *data, int len)
{
	if (!ept || !ept->rdev || !data || dst == RPMSG_ADDR_ANY || len < 0 || !ept->rdev->ops.send_offchannel_nocopy)
		return RPMSG_ERR_PARAM;
	return ept->rdev->ops.send_offchannel_nocopy(ept->rdev, src, dst, data, len);
}

int rpmsg_get_tx_buffer_size(struct rpmsg_endpoint *ept)
{
	if (!ept || !ept->rdev)
		return RPMSG_ERR_PARAM;
	if (!ept->rdev->ops.get_tx_buffer_size)
		return RPMSG_EOPNOTSUPP;
	return ept->rdev->ops.get_tx_buffer_size(ept->rdev);
}

int rpmsg_get_rx_buffer_size(struct rpmsg_endpoint *ept)
{
	if (!ept || !ept->rdev)
		return RPMSG_ERR_PARAM;
	if (!ept->rdev->ops.get_rx_buffer_size)
		return RPMSG_EOPNOTSUPP;
	return ept->rdev->ops.get_rx_buffer_size(ept->rdev);
}
