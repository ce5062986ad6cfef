/*
 * v8r OpenAMP subset: split virtqueues (virtio 1.x section 2.7).
 *
 * The driver keeps its descriptor free list and buffer cookies privately and
 * never trusts what the device writes back; the device validates every
 * avail entry and descriptor before use. Bad entries are dropped and counted.
 */
#include <string.h>
#include <metal/alloc.h>
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>

static inline unsigned long desc_off(struct virtqueue *vq, uint16_t idx)
{
	return vq->vq_ring.desc + (unsigned long)idx * VRING_DESC_SIZE;
}

static inline uint16_t slot_of(struct virtqueue *vq, uint16_t idx)
{
	return (uint16_t)(idx & (vq->vq_nentries - 1u));
}

static inline int is_driver(struct virtqueue *vq)
{
	return vq->vq_dev && vq->vq_dev->role == VIRTIO_DEV_DRIVER;
}

struct virtqueue *virtqueue_allocate(unsigned int num_desc_extra)
{
	size_t size = sizeof(struct virtqueue) + num_desc_extra * sizeof(struct vq_desc_extra);
	struct virtqueue *vq = metal_allocate_memory((unsigned int)size);
	if (vq)
		memset(vq, 0, size);
	return vq;
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
		vq->vq_descx[i].cookie = NULL;
		vq->vq_descx[i].len = 0;
		vq->vq_descx[i].in_use = 0;
		vq->vq_descx[i].next = (uint16_t)(i + 1u < num ? i + 1u : VQ_RING_DESC_CHAIN_END);
	}
}

int virtqueue_create(struct virtio_device *device, unsigned short id, const char *name,
		     struct vring_alloc_info *ring, void (*callback)(struct virtqueue *vq),
		     void (*notify)(struct virtqueue *vq), struct virtqueue *vq)
{
	if (!vq || !ring || !vq->shm_io)
		return ERROR_VQUEUE_INVLD_PARAM;
	unsigned int num = ring->num_descs;
	uint32_t align = ring->align;
	if (num == 0 || (num & (num - 1u)) || num > 32768u)
		return ERROR_VRING_MAX_DESC;
	if (align == 0 || (align & (align - 1u)))
		return ERROR_VRING_ALIGN;
	struct metal_io_region *io = vq->shm_io;
	unsigned long base = metal_io_virt_to_offset(io, ring->vaddr);
	if (base == METAL_BAD_OFFSET || vring_size(num, align) > io->size - base)
		return ERROR_VQUEUE_INVLD_PARAM;
	vq->vq_dev = device;
	vq->vq_name = name;
	vq->vq_queue_index = id;
	vq->vq_nentries = (uint16_t)num;
	vq->callback = callback;
	vq->notify = notify;
	vq->vq_bad_entries = 0;
	vring_init(&vq->vq_ring, num, base, align);
	vq->vq_kicks = 0;
	virtqueue_v8r_reset(vq);
	return 0;
}

int virtqueue_add_buffer(struct virtqueue *vq, struct virtqueue_buf *buf_list, int readable, int writable,
			 void *cookie)
{
	if (!vq || !buf_list || readable < 0 || writable < 0 || readable + writable != 1)
		return ERROR_VQUEUE_INVLD_PARAM;
	if (vq->vq_free_cnt == 0)
		return ERROR_VRING_FULL;
	struct metal_io_region *io = vq->shm_io;
	unsigned long off = metal_io_virt_to_offset(io, buf_list[0].buf);
	if (off == METAL_BAD_OFFSET || buf_list[0].len < 0 || (unsigned long)buf_list[0].len > io->size - off)
		return ERROR_VQUEUE_INVLD_PARAM;
	uint16_t head = vq->vq_desc_head_idx;
	struct vq_desc_extra *dx = &vq->vq_descx[head];
	vq->vq_desc_head_idx = dx->next;
	vq->vq_free_cnt--;
	dx->cookie = cookie;
	dx->len = (uint32_t)buf_list[0].len;
	dx->in_use = 1;
	unsigned long d = desc_off(vq, head);
	metal_io_write64_explicit(io, d + VRING_DESC_ADDR, metal_io_phys(io, off), memory_order_relaxed);
	metal_io_write32_explicit(io, d + VRING_DESC_LEN, (uint32_t)buf_list[0].len, memory_order_relaxed);
	metal_io_write16_explicit(io, d + VRING_DESC_FLAGS, writable ? VRING_DESC_F_WRITE : 0, memory_order_relaxed);
	uint16_t slot = slot_of(vq, vq->vq_available_idx);
	metal_io_write16_explicit(io, vq->vq_ring.avail + VRING_AVAIL_RING + 2u * slot, head, memory_order_relaxed);
	vq->vq_available_idx++;
	metal_io_write16_explicit(io, vq->vq_ring.avail + VRING_AVAIL_IDX, vq->vq_available_idx, memory_order_release);
	vq->vq_queued_cnt++;
	return 0;
}

void *virtqueue_get_buffer(struct virtqueue *vq, uint32_t *len, uint16_t *idx)
{
	if (!vq)
		return NULL;
	struct metal_io_region *io = vq->shm_io;
	for (unsigned int guard = 0; guard <= vq->vq_nentries; guard++) {
		uint16_t used_idx = metal_io_read16_explicit(io, vq->vq_ring.used + VRING_USED_IDX, memory_order_acquire);
		uint16_t pending = (uint16_t)(used_idx - vq->vq_used_cons_idx);
		if (pending == 0)
			return NULL;
		if (pending > vq->vq_nentries) {
			vq->vq_bad_entries++;
			return NULL;
		}
		unsigned long e = vq->vq_ring.used + VRING_USED_RING +
				  VRING_USED_ELEM_SIZE * slot_of(vq, vq->vq_used_cons_idx);
		uint32_t id = metal_io_read32_explicit(io, e, memory_order_relaxed);
		uint32_t ulen = metal_io_read32_explicit(io, e + 4u, memory_order_relaxed);
		vq->vq_used_cons_idx++;
		if (id >= vq->vq_nentries || !vq->vq_descx[id].in_use) {
			vq->vq_bad_entries++;
			continue;
		}
		struct vq_desc_extra *dx = &vq->vq_descx[id];
		void *cookie = dx->cookie;
		dx->in_use = 0;
		dx->cookie = NULL;
		dx->next = vq->vq_desc_head_idx;
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
	return vq->vq_descx[idx].len;
}

/* Device: append {head, len} to the used ring and publish the new used index. */
static void push_used(struct virtqueue *vq, uint16_t head, uint32_t len)
{
	struct metal_io_region *io = vq->shm_io;
	unsigned long e = vq->vq_ring.used + VRING_USED_RING + VRING_USED_ELEM_SIZE * slot_of(vq, vq->vq_used_cons_idx);
	metal_io_write32_explicit(io, e, head, memory_order_relaxed);
	metal_io_write32_explicit(io, e + 4u, len, memory_order_relaxed);
	vq->vq_used_cons_idx++;
	metal_io_write16_explicit(io, vq->vq_ring.used + VRING_USED_IDX, vq->vq_used_cons_idx, memory_order_release);
}

/* Device: return a descriptor we could not use, with length 0. */
static void give_back_bad(struct virtqueue *vq, uint16_t head)
{
	push_used(vq, head, 0);
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
	return vq->vq_ring.used + VRING_USED_RING + VRING_USED_ELEM_SIZE * vq->vq_nentries + 2u - vq->vq_ring.desc;
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

/* Device: read and validate the avail entry at vq_available_idx. 1 = good, 0 = none, -1 = bad (skip). */
static int peek_avail(struct virtqueue *vq, uint16_t *head, unsigned long *off, uint32_t *dlen)
{
	struct metal_io_region *io = vq->shm_io;
	uint16_t aidx = metal_io_read16_explicit(io, vq->vq_ring.avail + VRING_AVAIL_IDX, memory_order_acquire);
	uint16_t pending = (uint16_t)(aidx - vq->vq_available_idx);
	if (pending == 0)
		return 0;
	if (pending > vq->vq_nentries) {
		vq->vq_bad_entries++;
		return 0;
	}
	uint16_t slot = slot_of(vq, vq->vq_available_idx);
	*head = metal_io_read16_explicit(io, vq->vq_ring.avail + VRING_AVAIL_RING + 2u * slot, memory_order_relaxed);
	if (*head >= vq->vq_nentries || vq->vq_descx[*head].in_use)
		return -1;
	unsigned long d = desc_off(vq, *head);
	uint64_t addr = metal_io_read64_explicit(io, d + VRING_DESC_ADDR, memory_order_relaxed);
	*dlen = metal_io_read32_explicit(io, d + VRING_DESC_LEN, memory_order_relaxed);
	uint16_t flags = metal_io_read16_explicit(io, d + VRING_DESC_FLAGS, memory_order_relaxed);
	*off = metal_io_phys_to_offset(io, addr);
	if (*off == METAL_BAD_OFFSET || *dlen == 0 || *dlen > io->size - *off || !buffer_allowed(vq, flags, *off, *dlen))
		return -2;
	return 1;
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
		vq->vq_available_idx++;
		if (r < 0) {
			vq->vq_bad_entries++;
			if (r == -2)
				give_back_bad(vq, head);
			continue;
		}
		struct vq_desc_extra *dx = &vq->vq_descx[head];
		dx->in_use = 1;
		dx->len = dlen;
		dx->cookie = metal_io_virt(vq->shm_io, off);
		if (avail_idx)
			*avail_idx = head;
		if (len)
			*len = dlen;
		return dx->cookie;
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
	if (!vq || head_idx >= vq->vq_nentries || !vq->vq_descx[head_idx].in_use)
		return ERROR_INVLD_DESC_IDX;
	vq->vq_descx[head_idx].in_use = 0;
	vq->vq_descx[head_idx].cookie = NULL;
	push_used(vq, head_idx, len);
	return 0;
}

static unsigned long own_flags_off(struct virtqueue *vq)
{
	return is_driver(vq) ? vq->vq_ring.avail + VRING_AVAIL_FLAGS : vq->vq_ring.used + VRING_USED_FLAGS;
}

int virtqueue_enable_cb(struct virtqueue *vq)
{
	if (!vq)
		return 0;
	unsigned long f = own_flags_off(vq);
	uint16_t flags = metal_io_read16_explicit(vq->shm_io, f, memory_order_relaxed);
	metal_io_write16(vq->shm_io, f, (uint16_t)(flags & ~1u));
	return 0;
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	if (!vq)
		return;
	unsigned long f = own_flags_off(vq);
	uint16_t flags = metal_io_read16_explicit(vq->shm_io, f, memory_order_relaxed);
	metal_io_write16(vq->shm_io, f, (uint16_t)(flags | 1u));
}

void virtqueue_kick(struct virtqueue *vq)
{
	if (!vq)
		return;
	uint16_t flags;
	if (is_driver(vq))
		flags = metal_io_read16(vq->shm_io, vq->vq_ring.used + VRING_USED_FLAGS) & VRING_USED_F_NO_NOTIFY;
	else
		flags = metal_io_read16(vq->shm_io, vq->vq_ring.avail + VRING_AVAIL_FLAGS) & VRING_AVAIL_F_NO_INTERRUPT;
	if (!flags && vq->notify) {
		vq->vq_kicks++;
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
	(void)vq;
}
