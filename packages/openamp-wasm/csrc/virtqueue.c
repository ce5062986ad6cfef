/*
 * v8r OpenAMP: split virtqueues (virtio 1.x section 2.7).
 *
 * Rings are reached through vq_v8r_ring_io at the offsets vq_v8r_desc/avail/
 * used; buffers through shm_io. The driver keeps its descriptor free list and
 * buffer lengths privately and never trusts what the device writes back; the
 * device validates every avail entry and descriptor before use. Bad entries
 * are dropped and counted in vq_v8r_bad_entries.
 */
#include <string.h>
#include <metal/alloc.h>
#include <metal/log.h>
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>
#include "_virtqueue_internal.h"

#define DESC_ADDR 0u
#define DESC_LEN 8u
#define DESC_FLAGS 12u
#define DESC_NEXT 14u
#define RING_FLAGS 0u
#define RING_IDX 2u
#define RING_ENTRIES 4u

static inline unsigned long desc_off(struct virtqueue *vq, uint16_t idx)
{
	return vq->vq_v8r_desc + (unsigned long)idx * sizeof(struct vring_desc);
}

static inline uint16_t slot_of(struct virtqueue *vq, uint16_t idx)
{
	return (uint16_t)(idx & (vq->vq_nentries - 1u));
}

static inline int is_driver(struct virtqueue *vq)
{
	return vq->vq_dev && VIRTIO_ROLE_IS_DRIVER(vq->vq_dev);
}

void virtqueue_free(struct virtqueue *vq)
{
	if (vq)
		metal_free_memory(vq);
}

void virtqueue_v8r_reset(struct virtqueue *vq)
{
	uint16_t num = vq->vq_nentries;
	vq->vq_free_cnt = num;
	vq->vq_queued_cnt = 0;
	vq->vq_desc_head_idx = 0;
	vq->vq_available_idx = 0;
	vq->vq_used_cons_idx = 0;
	for (uint16_t i = 0; i < num; i++) {
		struct vq_desc_extra *dx = &vq->vq_descx[i];
		memset(dx, 0, sizeof(*dx));
		dx->v8r_next = (uint16_t)(i + 1u < num ? i + 1u : VQ_RING_DESC_CHAIN_END);
	}
}

int virtqueue_create(struct virtio_device *device, unsigned short id, const char *name, struct vring_alloc_info *ring,
		     void (*callback)(struct virtqueue *vq), void (*notify)(struct virtqueue *vq),
		     struct virtqueue *vq)
{
	if (!vq || !ring)
		return ERROR_VQUEUE_INVLD_PARAM;
	struct metal_io_region *io = vq->vq_v8r_ring_io ? vq->vq_v8r_ring_io : vq->shm_io;
	unsigned int num = ring->num_descs;
	uint32_t align = ring->align;
	if (num == 0 || (num & (num - 1u)) || num > 32768u)
		return ERROR_VRING_MAX_DESC;
	if (align == 0 || (align & (align - 1u)))
		return ERROR_VRING_ALIGN;
	if (!io)
		return ERROR_VQUEUE_INVLD_PARAM;
	/* place the ring as upstream does (the used ring's address aligned), then find it in the region */
	struct vring vr;
	vring_init(&vr, num, ring->vaddr, align);
	unsigned long base = metal_io_virt_to_offset(io, vr.desc);
	unsigned long used = metal_io_virt_to_offset(io, vr.used);
	unsigned long end = used + sizeof(struct vring_used) + num * sizeof(struct vring_used_elem) + 2u;
	if (base == METAL_BAD_OFFSET || used == METAL_BAD_OFFSET || end > io->size)
		return ERROR_VQUEUE_INVLD_PARAM;
	vq->vq_dev = device;
	vq->vq_name = name;
	vq->vq_queue_index = id;
	vq->vq_nentries = (uint16_t)num;
	vq->callback = callback;
	vq->notify = notify;
	vq->vq_ring = vr;
	vq->vq_v8r_ring_io = io;
	vq->vq_v8r_desc = base;
	vq->vq_v8r_avail = metal_io_virt_to_offset(io, vr.avail);
	vq->vq_v8r_used = used;
	vq->vq_v8r_bad_entries = 0;
	vq->vq_v8r_kicks = 0;
	virtqueue_v8r_reset(vq);
	return VQUEUE_SUCCESS;
}

int virtqueue_add_buffer(struct virtqueue *vq, struct virtqueue_buf *buf_list, int readable, int writable,
			 void *cookie)
{
	if (!vq || !buf_list || readable < 0 || writable < 0 || readable + writable != 1)
		return ERROR_VQUEUE_INVLD_PARAM;
	if (vq->vq_free_cnt == 0)
		return ERROR_VRING_FULL;
	struct metal_io_region *io = vq->vq_v8r_ring_io;
	unsigned long off = metal_io_virt_to_offset(vq->shm_io, buf_list[0].buf);
	if (off == METAL_BAD_OFFSET || buf_list[0].len < 0 || (unsigned long)buf_list[0].len > vq->shm_io->size - off)
		return ERROR_VQUEUE_INVLD_PARAM;
	uint16_t head = vq->vq_desc_head_idx;
	struct vq_desc_extra *dx = &vq->vq_descx[head];
	vq->vq_desc_head_idx = dx->v8r_next;
	vq->vq_free_cnt--;
	dx->cookie = cookie;
	dx->ndescs = 1;
	dx->v8r_len = (uint32_t)buf_list[0].len;
	dx->v8r_in_use = 1;
	unsigned long d = desc_off(vq, head);
	metal_io_write64_explicit(io, d + DESC_ADDR, metal_io_phys(vq->shm_io, off), memory_order_relaxed);
	metal_io_write32_explicit(io, d + DESC_LEN, (uint32_t)buf_list[0].len, memory_order_relaxed);
	metal_io_write16_explicit(io, d + DESC_FLAGS, writable ? VRING_DESC_F_WRITE : 0, memory_order_relaxed);
	metal_io_write16_explicit(io, d + DESC_NEXT, 0, memory_order_relaxed);
	uint16_t slot = slot_of(vq, vq->vq_available_idx);
	metal_io_write16_explicit(io, vq->vq_v8r_avail + RING_ENTRIES + 2u * slot, head, memory_order_relaxed);
	vq->vq_available_idx++;
	metal_io_write16_explicit(io, vq->vq_v8r_avail + RING_IDX, vq->vq_available_idx, memory_order_release);
	vq->vq_queued_cnt++;
	return VQUEUE_SUCCESS;
}

void *virtqueue_get_buffer(struct virtqueue *vq, uint32_t *len, uint16_t *idx)
{
	if (!vq)
		return NULL;
	struct metal_io_region *io = vq->vq_v8r_ring_io;
	for (unsigned int guard = 0; guard <= vq->vq_nentries; guard++) {
		uint16_t used_idx = metal_io_read16_explicit(io, vq->vq_v8r_used + RING_IDX, memory_order_acquire);
		uint16_t pending = (uint16_t)(used_idx - vq->vq_used_cons_idx);
		if (pending == 0)
			return NULL;
		if (pending > vq->vq_nentries) {
			vq->vq_v8r_bad_entries++;
			return NULL;
		}
		unsigned long e = vq->vq_v8r_used + RING_ENTRIES +
				  sizeof(struct vring_used_elem) * slot_of(vq, vq->vq_used_cons_idx);
		uint32_t id = metal_io_read32_explicit(io, e, memory_order_relaxed);
		uint32_t ulen = metal_io_read32_explicit(io, e + 4u, memory_order_relaxed);
		vq->vq_used_cons_idx++;
		if (id >= vq->vq_nentries || !vq->vq_descx[id].v8r_in_use) {
			vq->vq_v8r_bad_entries++;
			continue;
		}
		struct vq_desc_extra *dx = &vq->vq_descx[id];
		void *cookie = dx->cookie;
		dx->v8r_in_use = 0;
		dx->cookie = NULL;
		dx->ndescs = 0;
		dx->v8r_next = vq->vq_desc_head_idx;
		vq->vq_desc_head_idx = (uint16_t)id;
		vq->vq_free_cnt++;
		vq->vq_queued_cnt--;
		if (len)
			*len = ulen;
		if (idx)
			*idx = (uint16_t)id;
		return cookie;
	}
	return NULL;
}

uint32_t virtqueue_get_buffer_length(struct virtqueue *vq, uint16_t idx)
{
	if (!vq || idx >= vq->vq_nentries)
		return 0;
	return vq->vq_descx[idx].v8r_len;
}

void *virtqueue_get_buffer_addr(struct virtqueue *vq, uint16_t idx)
{
	if (!vq || idx >= vq->vq_nentries || !vq->vq_descx[idx].v8r_in_use)
		return NULL;
	if (is_driver(vq)) {
		uint64_t addr = metal_io_read64(vq->vq_v8r_ring_io, desc_off(vq, idx) + DESC_ADDR);
		return addr > (metal_phys_addr_t)-1 ? NULL : metal_io_phys_to_virt(vq->shm_io, (metal_phys_addr_t)addr);
	}
	return vq->vq_descx[idx].cookie;
}

/* Device: append {head, len} to the used ring and publish the new used index. */
static void push_used(struct virtqueue *vq, uint16_t head, uint32_t len)
{
	struct metal_io_region *io = vq->vq_v8r_ring_io;
	unsigned long e =
		vq->vq_v8r_used + RING_ENTRIES + sizeof(struct vring_used_elem) * slot_of(vq, vq->vq_used_cons_idx);
	metal_io_write32_explicit(io, e, head, memory_order_relaxed);
	metal_io_write32_explicit(io, e + 4u, len, memory_order_relaxed);
	vq->vq_used_cons_idx++;
	metal_io_write16_explicit(io, vq->vq_v8r_used + RING_IDX, vq->vq_used_cons_idx, memory_order_release);
}

void virtqueue_v8r_keep(struct virtqueue *vq, unsigned long off, unsigned long len)
{
	if (vq && vq->vq_v8r_nkeep < 4u) {
		vq->vq_v8r_keep[vq->vq_v8r_nkeep][0] = off;
		vq->vq_v8r_keep[vq->vq_v8r_nkeep][1] = len;
		vq->vq_v8r_nkeep++;
	}
}

unsigned long virtqueue_v8r_ring_bytes(struct virtqueue *vq)
{
	return vq->vq_v8r_used + RING_ENTRIES + sizeof(struct vring_used_elem) * vq->vq_nentries + 2u - vq->vq_v8r_desc;
}

/* Device: whether a buffer at [off, off + len) has the flags it needs and stays clear of the kept ranges. */
static int buffer_allowed(struct virtqueue *vq, uint16_t flags, unsigned long off, uint32_t len)
{
	if (flags & (VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT))
		return 0; /* no chains: every RPMsg buffer is one descriptor */
	if (vq->vq_v8r_need_write && !(flags & VRING_DESC_F_WRITE))
		return 0;
	for (unsigned int i = 0; i < vq->vq_v8r_nkeep; i++) {
		unsigned long k = vq->vq_v8r_keep[i][0], klen = vq->vq_v8r_keep[i][1];
		if (klen && off < k + klen && k < off + len)
			return 0;
	}
	return 1;
}

/* Device: read descriptor head and check the buffer it names. 1 good, 0 bad. */
static int read_desc(struct virtqueue *vq, uint16_t head, unsigned long *off, uint32_t *dlen, uint16_t *flags)
{
	struct metal_io_region *io = vq->vq_v8r_ring_io;
	unsigned long d = desc_off(vq, head);
	uint64_t addr = metal_io_read64_explicit(io, d + DESC_ADDR, memory_order_relaxed);
	*dlen = metal_io_read32_explicit(io, d + DESC_LEN, memory_order_relaxed);
	*flags = metal_io_read16_explicit(io, d + DESC_FLAGS, memory_order_relaxed);
	*off = addr > (metal_phys_addr_t)-1 ? METAL_BAD_OFFSET : metal_io_phys_to_offset(vq->shm_io, (metal_phys_addr_t)addr);
	return *off != METAL_BAD_OFFSET && *dlen != 0 && *dlen <= vq->shm_io->size - *off &&
	       buffer_allowed(vq, *flags, *off, *dlen);
}

/* Device: read and validate the avail entry at vq_available_idx. 1 good, 0 none, -1 bad index, -2 bad buffer. */
static int peek_avail(struct virtqueue *vq, uint16_t *head, unsigned long *off, uint32_t *dlen)
{
	struct metal_io_region *io = vq->vq_v8r_ring_io;
	uint16_t aidx = metal_io_read16_explicit(io, vq->vq_v8r_avail + RING_IDX, memory_order_acquire);
	uint16_t pending = (uint16_t)(aidx - vq->vq_available_idx);
	if (pending == 0)
		return 0;
	if (pending > vq->vq_nentries) {
		vq->vq_v8r_bad_entries++;
		return 0;
	}
	uint16_t slot = slot_of(vq, vq->vq_available_idx);
	*head = metal_io_read16_explicit(io, vq->vq_v8r_avail + RING_ENTRIES + 2u * slot, memory_order_relaxed);
	if (*head >= vq->vq_nentries || vq->vq_descx[*head].v8r_in_use)
		return -1;
	uint16_t flags;
	if (!read_desc(vq, *head, off, dlen, &flags))
		return -2;
	return 1;
}

/* Device: take the avail entry peeked (good or bad); a bad buffer goes back with length 0 so none is lost. */
static void *take_avail(struct virtqueue *vq, int r, uint16_t head, unsigned long off, uint32_t dlen)
{
	vq->vq_available_idx++;
	if (r < 0) {
		vq->vq_v8r_bad_entries++;
		if (r == -2)
			push_used(vq, head, 0);
		return NULL;
	}
	struct vq_desc_extra *dx = &vq->vq_descx[head];
	dx->v8r_in_use = 1;
	dx->v8r_len = dlen;
	dx->ndescs = 1;
	dx->cookie = metal_io_virt(vq->shm_io, off);
	return dx->cookie;
}

void *virtqueue_get_available_buffer(struct virtqueue *vq, uint16_t *avail_idx, uint32_t *len)
{
	if (!vq)
		return NULL;
	for (unsigned int guard = 0; guard <= vq->vq_nentries; guard++) {
		uint16_t head = 0;
		unsigned long off = 0;
		uint32_t dlen = 0;
		int r = peek_avail(vq, &head, &off, &dlen);
		if (r == 0)
			return NULL;
		void *buf = take_avail(vq, r, head, off, dlen);
		if (!buf)
			continue;
		if (avail_idx)
			*avail_idx = head;
		if (len)
			*len = dlen;
		return buf;
	}
	return NULL;
}

void *virtqueue_get_first_avail_buffer(struct virtqueue *vq, uint16_t *avail_idx, uint32_t *len)
{
	if (!vq)
		return NULL;
	uint16_t head = 0;
	unsigned long off = 0;
	uint32_t dlen = 0;
	if (peek_avail(vq, &head, &off, &dlen) != 1)
		return NULL;
	if (avail_idx)
		*avail_idx = head;
	if (len)
		*len = dlen;
	return metal_io_virt(vq->shm_io, off);
}

uint32_t virtqueue_get_desc_size(struct virtqueue *vq)
{
	uint32_t len = 0;
	if (!virtqueue_get_first_avail_buffer(vq, NULL, &len))
		return 0;
	return len;
}

int virtqueue_add_consumed_buffer(struct virtqueue *vq, uint16_t head_idx, uint32_t len)
{
	if (!vq || head_idx >= vq->vq_nentries)
		return ERROR_VRING_NO_BUFF;
	if (!vq->vq_descx[head_idx].v8r_in_use)
		return ERROR_INVLD_DESC_IDX; /* not taken from the avail ring (or already returned) */
	vq->vq_descx[head_idx].v8r_in_use = 0;
	vq->vq_descx[head_idx].cookie = NULL;
	push_used(vq, head_idx, len);
	return VQUEUE_SUCCESS;
}

/* The flags word this side owns: the driver's avail flags, the device's used flags. */
static unsigned long own_flags_off(struct virtqueue *vq)
{
	return is_driver(vq) ? vq->vq_v8r_avail + RING_FLAGS : vq->vq_v8r_used + RING_FLAGS;
}

int virtqueue_enable_cb(struct virtqueue *vq)
{
	if (!vq)
		return 0;
	unsigned long f = own_flags_off(vq);
	uint16_t flags = metal_io_read16_explicit(vq->vq_v8r_ring_io, f, memory_order_relaxed);
	metal_io_write16(vq->vq_v8r_ring_io, f, (uint16_t)(flags & ~1u));
	return 0;
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	if (!vq)
		return;
	unsigned long f = own_flags_off(vq);
	uint16_t flags = metal_io_read16_explicit(vq->vq_v8r_ring_io, f, memory_order_relaxed);
	metal_io_write16(vq->vq_v8r_ring_io, f, (uint16_t)(flags | 1u));
}

void virtqueue_kick(struct virtqueue *vq)
{
	if (!vq)
		return;
	struct metal_io_region *io = vq->vq_v8r_ring_io;
	uint16_t suppressed;
	if (is_driver(vq))
		suppressed = metal_io_read16(io, vq->vq_v8r_used + RING_FLAGS) & VRING_USED_F_NO_NOTIFY;
	else
		suppressed = metal_io_read16(io, vq->vq_v8r_avail + RING_FLAGS) & VRING_AVAIL_F_NO_INTERRUPT;
	if (!suppressed && vq->notify) {
		vq->vq_v8r_kicks++;
		vq->notify(vq);
	}
}

void virtqueue_notification(struct virtqueue *vq)
{
	if (vq && vq->callback)
		vq->callback(vq);
}

void virtqueue_dump(struct virtqueue *vq)
{
	if (!vq)
		return;
	metal_log(METAL_LOG_DEBUG, "vq %s: entries %u free %u queued %u desc head %u avail %u used %u bad %u\n",
		  vq->vq_name ? vq->vq_name : "?", vq->vq_nentries, vq->vq_free_cnt, vq->vq_queued_cnt,
		  vq->vq_desc_head_idx, vq->vq_available_idx, vq->vq_used_cons_idx, (unsigned int)vq->vq_v8r_bad_entries);
}
