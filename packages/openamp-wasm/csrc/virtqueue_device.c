/*
 * v8r OpenAMP: the device side of a split virtqueue: taking the buffers the
 * driver made available (each avail entry and descriptor validated before
 * use) and returning them on the used ring.
 */
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>
#include "_virtqueue_internal.h"

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
	return vq->vq_v8r_used + V8R_RING_ENTRIES + sizeof(struct vring_used_elem) * vq->vq_nentries + 2u -
	       vq->vq_v8r_desc;
}

void virtqueue_v8r_resume(struct virtqueue *vq)
{
	uint16_t used = virtqueue_v8r_used_idx(vq);
	vq->vq_used_cons_idx = used;
	vq->vq_available_idx = used;
	vq->vq_v8r_peer_idx = used;
	vq->vq_v8r_ahead = used;
	vq->vq_v8r_published = used;
	for (uint16_t i = 0; i < vq->vq_nentries; i++)
		vq->vq_descx[i].v8r_desc_ahead = 0; /* read ahead from entries now dropped */
}

/* Whether a buffer at [off, off + len) has the flags it needs and stays clear of the kept ranges. */
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

/* Read descriptor head (read ahead with its avail entry, or one block access; into locals) and check the buffer it names. 1 good, 0 bad. */
static int read_desc(struct virtqueue *vq, uint16_t head, unsigned long *off, uint32_t *dlen)
{
	uint64_t addr = 0;
	uint16_t flags = 0;
	virtqueue_v8r_read_desc(vq, head, &addr, dlen, &flags);
	*off = addr > (metal_phys_addr_t)-1 ? METAL_BAD_OFFSET
					    : metal_io_phys_to_offset(vq->shm_io, (metal_phys_addr_t)addr);
	return *off != METAL_BAD_OFFSET && *dlen != 0 && *dlen <= vq->shm_io->size - *off &&
	       buffer_allowed(vq, flags, *off, *dlen);
}

/* Read and validate the avail entry at vq_available_idx. 1 good, 0 none, -1 bad index, -2 bad buffer. */
static int peek_avail(struct virtqueue *vq, uint16_t *head, unsigned long *off, uint32_t *dlen)
{
	if (!virtqueue_v8r_peer_next(vq))
		return 0;
	*head = vq->vq_descx[virtqueue_v8r_slot(vq, vq->vq_available_idx)].v8r_avail_head;
	if (*head >= vq->vq_nentries || vq->vq_descx[*head].v8r_in_use)
		return -1;
	if (!read_desc(vq, *head, off, dlen))
		return -2;
	return 1;
}

/* Take the avail entry peeked (good or bad); a bad buffer goes back with length 0 so none is lost. */
static void *take_avail(struct virtqueue *vq, int r, uint16_t head, unsigned long off, uint32_t dlen)
{
	vq->vq_available_idx++;
	if (r < 0) {
		vq->vq_v8r_bad_entries++;
		if (r == -2)
			virtqueue_v8r_stage(vq, head, 0);
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
	return virtqueue_v8r_stage(vq, head_idx, len);
}
