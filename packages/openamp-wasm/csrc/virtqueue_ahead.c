/*
 * v8r OpenAMP: where the buffers of the peer's entries read ahead lie (see
 * virtqueue_ring.c), for the RPMsg receive path to read their headers in one
 * crossing. Nothing here reads shared memory: each offset comes from private
 * state validated as it is for use, and is still checked again when used.
 */
#include <metal/io.h>
#include "_virtqueue_internal.h"

/*
 * The offset of the buffer the entry in slot names (read ahead), if it holds at least min bytes inside shm_io;
 * else METAL_BAD_OFFSET. A driver goes by its own record of the descriptor, a device by the one read ahead.
 */
static unsigned long ahead_buf(struct virtqueue *vq, uint16_t slot, uint32_t min)
{
	struct vq_desc_extra *x = &vq->vq_descx[slot];
	uint32_t d = virtqueue_v8r_is_driver(vq) ? x->v8r_used_id : x->v8r_avail_head;
	if (d >= vq->vq_nentries)
		return METAL_BAD_OFFSET;
	struct vq_desc_extra *dx = &vq->vq_descx[d];
	if (!(virtqueue_v8r_is_driver(vq) ? dx->v8r_in_use : dx->v8r_desc_ahead) || dx->v8r_desc_addr > (metal_phys_addr_t)-1)
		return METAL_BAD_OFFSET;
	struct metal_io_region *io = vq->shm_io;
	unsigned long off = metal_io_phys_to_offset(io, (metal_phys_addr_t)dx->v8r_desc_addr);
	return off != METAL_BAD_OFFSET && off < io->size && dx->v8r_desc_len >= min && min <= io->size - off
		       ? off
		       : METAL_BAD_OFFSET;
}

unsigned int virtqueue_v8r_ahead_bufs(struct virtqueue *vq, uint32_t *offs, unsigned int max, uint32_t min)
{
	unsigned int n = 0;
	for (uint16_t i = *virtqueue_v8r_cursor(vq); i != vq->vq_v8r_ahead && n < max; i++) {
		unsigned long off = ahead_buf(vq, virtqueue_v8r_slot(vq, i), min);
		if (off != METAL_BAD_OFFSET)
			offs[n++] = (uint32_t)off;
	}
	return n;
}
