/*
 * v8r OpenAMP: split virtqueues (virtio 1.x section 2.7): set-up, the driver
 * side, notifications. The device side is in virtqueue_device.c, ring access
 * in virtqueue_ring.c.
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
	vq->vq_v8r_peer_idx = 0;
	vq->vq_v8r_ahead = 0;
	vq->vq_v8r_published = 0;
	vq->vq_v8r_peer_flags_fresh = 0;
	vq->vq_v8r_kick_pending = 0;
	vq->vq_v8r_lost = 0;
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
	vq->vq_v8r_own_flags = 0;
	vq->vq_v8r_defer = 0;
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
	virtqueue_v8r_set_desc(vq, head, metal_io_phys(vq->shm_io, off), (uint32_t)buf_list[0].len,
				 writable ? VRING_DESC_F_WRITE : 0);
	vq->vq_queued_cnt++;
	return virtqueue_v8r_stage(vq, head, 0);
}

void *virtqueue_get_buffer(struct virtqueue *vq, uint32_t *len, uint16_t *idx)
{
	if (!vq)
		return NULL;
	for (unsigned int guard = 0; guard <= vq->vq_nentries; guard++) {
		if (!virtqueue_v8r_peer_next(vq))
			return NULL;
		struct vq_desc_extra *entry = &vq->vq_descx[virtqueue_v8r_slot(vq, vq->vq_used_cons_idx)];
		uint32_t id = entry->v8r_used_id, ulen = entry->v8r_used_len;
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
	if (virtqueue_v8r_is_driver(vq)) {
		uint64_t addr = 0;
		uint32_t len = 0;
		uint16_t flags = 0;
		virtqueue_v8r_read_desc(vq, idx, &addr, &len, &flags);
		return addr > (metal_phys_addr_t)-1 ? NULL : metal_io_phys_to_virt(vq->shm_io, (metal_phys_addr_t)addr);
	}
	return vq->vq_descx[idx].cookie;
}

/*
 * Notifications: the driver's avail flags and the device's used flags are
 * this side's; VRING_AVAIL_F_NO_INTERRUPT and VRING_USED_F_NO_NOTIFY (both
 * bit 0) ask the peer not to kick, as upstream sets and honours them without
 * EVENT_IDX.
 */
int virtqueue_enable_cb(struct virtqueue *vq)
{
	if (!vq)
		return 0;
	/* as upstream: 1 when entries are already pending, so the caller processes them */
	return virtqueue_v8r_set_flags(vq, (uint16_t)(vq->vq_v8r_own_flags & ~1u), 1) > 0;
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	if (vq)
		virtqueue_v8r_set_flags(vq, (uint16_t)(vq->vq_v8r_own_flags | 1u), 0);
}

void virtqueue_kick(struct virtqueue *vq)
{
	if (!vq)
		return;
	if (vq->vq_v8r_defer) {
		vq->vq_v8r_kick_pending = 1; /* sent when the batch ends, after its publish */
		return;
	}
	/* the peer's flags as read right after our last publish (same crossing), else read now */
	uint16_t peer = vq->vq_v8r_peer_flags;
	if (!vq->vq_v8r_peer_flags_fresh) {
		unsigned long f = virtqueue_v8r_is_driver(vq) ? vq->vq_v8r_used : vq->vq_v8r_avail;
		atomic_thread_fence(memory_order_seq_cst);
		peer = metal_io_read16_explicit(vq->vq_v8r_ring_io, f + V8R_RING_FLAGS, memory_order_seq_cst);
	}
	vq->vq_v8r_peer_flags_fresh = 0;
	/* VRING_USED_F_NO_NOTIFY for a driver, VRING_AVAIL_F_NO_INTERRUPT for a device: both bit 0 */
	if (!(peer & 1u) && vq->notify) {
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
