/*
 * v8r OpenAMP: how a virtqueue reaches its ring with few crossings of the
 * wasm import boundary.
 *
 * - The peer's index is read (acquire) only when the entries known from the
 *   last read are used up; the peer's entries are then read ahead, a block
 *   at a time, into the slot cache (vq_desc_extra, indexed by ring slot).
 *   Each value is read once into private memory and validated when used.
 * - This side's entries are staged in the slot cache and published with one
 *   block write and one index store, in the same crossing that reads the
 *   peer's flags for the kick decision (sequentially consistent: a peer that
 *   re-enables notifications and then re-checks our index cannot miss it).
 *   Inside a batch (the receive path) publishing waits for the batch's end.
 * - The indices this side owns live in private memory; a device publishes its
 *   used index only if shared memory still holds the one it published last
 *   (else the driver re-initialised the ring: vq_v8r_lost).
 */
#include <metal/io.h>
#include "_platform.h"
#include "_virtqueue_internal.h"
#include "v8r_shm_io.h"

/* Entries moved per block access. */
#define BLOCK 64u
#define USED_ELEM 8u
#define AVAIL_ELEM 2u
/* expect value meaning "store unconditionally" */
#define ANY 0x10000u
/* Indices and flags words are 16 bits. */
#define LOW16 0xffffu

static inline void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}
static inline void put32(unsigned char *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}
static inline uint32_t get16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static inline uint32_t get32(const unsigned char *p)
{
	return get16(p) | get16(p + 2) << 16;
}

/* A block to copy: len bytes from src to off. */
struct blk {
	unsigned long off;
	const void *src;
	unsigned int len;
};

/*
 * Copy the blocks a and b, store value at store_off (only if it holds expect,
 * unless expect is ANY), load load_off: the loaded bits, plus
 * V8R_PUBLISH_REFUSED when the store was refused. One import on a v8r region
 * (publish16x2 when b has bytes, else publish16); the same sequence through
 * metal_io on any other.
 */
static uint32_t exchange(struct metal_io_region *io, struct blk a, struct blk b, unsigned long store_off, uint32_t expect,
			 uint16_t value, unsigned long load_off)
{
	if (v8r_shm_io_is(io) && b.len)
		return v8r_shm_publish16x2((uint32_t)a.off, a.src, a.len, (uint32_t)b.off, b.src, b.len, (uint32_t)store_off,
					   expect, value, (uint32_t)load_off);
	if (v8r_shm_io_is(io))
		return v8r_shm_publish16((uint32_t)a.off, a.src, a.len, (uint32_t)store_off, expect, value, (uint32_t)load_off);
	if (a.len)
		metal_io_block_write(io, a.off, a.src, (int)a.len);
	if (b.len)
		metal_io_block_write(io, b.off, b.src, (int)b.len);
	atomic_thread_fence(memory_order_seq_cst);
	int refused = expect != ANY && metal_io_read16_explicit(io, store_off, memory_order_seq_cst) != expect;
	if (!refused)
		metal_io_write16_explicit(io, store_off, value, memory_order_seq_cst);
	atomic_thread_fence(memory_order_seq_cst);
	return (refused ? V8R_PUBLISH_REFUSED : 0u) | metal_io_read16_explicit(io, load_off, memory_order_seq_cst);
}

/* The ring part the peer writes and the one this side writes. */
static unsigned long peer_part(struct virtqueue *vq)
{
	return virtqueue_v8r_is_driver(vq) ? vq->vq_v8r_used : vq->vq_v8r_avail;
}
static unsigned long own_part(struct virtqueue *vq)
{
	return virtqueue_v8r_is_driver(vq) ? vq->vq_v8r_avail : vq->vq_v8r_used;
}
/* This side's own index. */
static uint16_t *own_index(struct virtqueue *vq)
{
	return virtqueue_v8r_is_driver(vq) ? &vq->vq_available_idx : &vq->vq_used_cons_idx;
}

/* Decode the 16 bytes of a descriptor at p. */
static void decode_desc(const unsigned char *p, uint64_t *addr, uint32_t *len, uint16_t *flags)
{
	*addr = (uint64_t)get32(p + V8R_DESC_ADDR) | (uint64_t)get32(p + V8R_DESC_ADDR + 4u) << 32;
	*len = get32(p + V8R_DESC_LEN);
	*flags = (uint16_t)get16(p + V8R_DESC_FLAGS);
}

/*
 * Device: read the descriptors the n avail heads in slots [slot, slot + n)
 * name, a run of consecutive heads (the steady state) in one block, into the
 * descriptor cache (v8r_desc_ahead; validated when used, as read_desc() does).
 * The driver may not change a descriptor it made available, so reading it now
 * or at use is the same.
 */
static void read_descs_ahead(struct virtqueue *vq, uint16_t slot, unsigned int n)
{
	_Alignas(8) unsigned char buf[BLOCK * sizeof(struct vring_desc)];
	unsigned int i = 0;
	while (i < n) {
		uint16_t first = vq->vq_descx[slot + i].v8r_avail_head;
		unsigned int run = 0;
		while (i + run < n && first + run < vq->vq_nentries && run < BLOCK &&
		       vq->vq_descx[slot + i + run].v8r_avail_head == first + run)
			run++;
		if (!run) {
			i++; /* a head out of range: rejected when used */
			continue;
		}
		metal_io_block_read(vq->vq_v8r_ring_io, vq->vq_v8r_desc + (unsigned long)first * sizeof(struct vring_desc), buf,
				    (int)(run * sizeof(struct vring_desc)));
		for (unsigned int k = 0; k < run; k++) {
			struct vq_desc_extra *dx = &vq->vq_descx[first + k];
			decode_desc(buf + sizeof(struct vring_desc) * k, &dx->v8r_desc_addr, &dx->v8r_desc_len, &dx->v8r_desc_flags);
			dx->v8r_desc_ahead = 1;
		}
		i += run;
	}
}

/* Read the known pending entries from cur on (up to the ring's end and BLOCK) into the slot cache. */
static void read_ahead(struct virtqueue *vq, uint16_t cur)
{
	int driver = virtqueue_v8r_is_driver(vq);
	unsigned int size = driver ? USED_ELEM : AVAIL_ELEM;
	uint16_t slot = virtqueue_v8r_slot(vq, cur);
	unsigned int n = (uint16_t)(vq->vq_v8r_peer_idx - cur);
	if (n > (unsigned int)(vq->vq_nentries - slot))
		n = (unsigned int)(vq->vq_nentries - slot);
	if (n > BLOCK)
		n = BLOCK;
	_Alignas(8) unsigned char buf[BLOCK * USED_ELEM];
	metal_io_block_read(vq->vq_v8r_ring_io, peer_part(vq) + V8R_RING_ENTRIES + size * slot, buf, (int)(n * size));
	for (unsigned int i = 0; i < n; i++) {
		struct vq_desc_extra *x = &vq->vq_descx[slot + i];
		if (driver) {
			x->v8r_used_id = get32(buf + USED_ELEM * i);
			x->v8r_used_len = get32(buf + USED_ELEM * i + 4u);
		} else {
			x->v8r_avail_head = (uint16_t)get16(buf + AVAIL_ELEM * i);
		}
	}
	if (!driver)
		read_descs_ahead(vq, slot, n);
	vq->vq_v8r_ahead = (uint16_t)(cur + n);
}

int virtqueue_v8r_peer_next(struct virtqueue *vq)
{
	uint16_t cur = *virtqueue_v8r_cursor(vq);
	if (vq->vq_v8r_ahead != cur)
		return 1;
	if (vq->vq_v8r_peer_idx == cur) {
		uint16_t idx = metal_io_read16_explicit(vq->vq_v8r_ring_io, peer_part(vq) + V8R_RING_IDX, memory_order_acquire);
		uint16_t pending = (uint16_t)(idx - cur);
		if (pending == 0)
			return 0;
		if (pending > vq->vq_nentries) {
			vq->vq_v8r_bad_entries++;
			return 0;
		}
		vq->vq_v8r_peer_idx = idx;
	}
	read_ahead(vq, cur);
	return 1;
}

int virtqueue_v8r_stage(struct virtqueue *vq, uint32_t id, uint32_t len)
{
	uint16_t *own = own_index(vq);
	struct vq_desc_extra *x = &vq->vq_descx[virtqueue_v8r_slot(vq, *own)];
	if (virtqueue_v8r_is_driver(vq)) {
		x->v8r_avail_head = (uint16_t)id;
	} else {
		x->v8r_used_id = id;
		x->v8r_used_len = len;
	}
	(*own)++;
	/* a batch holds at most half the ring back, so a peer waiting on a callback still has buffers */
	if (!vq->vq_v8r_defer || (uint16_t)(*own - vq->vq_v8r_published) >= (vq->vq_nentries + 1u) / 2u)
		return virtqueue_v8r_flush(vq);
	return 0;
}

void virtqueue_v8r_set_desc(struct virtqueue *vq, uint16_t head, uint64_t addr, uint32_t len, uint16_t flags)
{
	struct vq_desc_extra *dx = &vq->vq_descx[head];
	dx->v8r_desc_addr = addr;
	dx->v8r_desc_len = len;
	dx->v8r_desc_flags = flags;
	dx->v8r_desc_dirty = 1;
}

/* Put descriptor d (its new contents) into the 16 bytes at p. */
static void encode_desc(struct virtqueue *vq, uint16_t d, unsigned char *p)
{
	struct vq_desc_extra *dx = &vq->vq_descx[d];
	put32(p + V8R_DESC_ADDR, (uint32_t)dx->v8r_desc_addr);
	put32(p + V8R_DESC_ADDR + 4u, (uint32_t)(dx->v8r_desc_addr >> 32));
	put32(p + V8R_DESC_LEN, dx->v8r_desc_len);
	put16(p + V8R_DESC_FLAGS, dx->v8r_desc_flags);
	put16(p + V8R_DESC_NEXT, 0);
	dx->v8r_desc_dirty = 0;
}

/*
 * Driver: the descriptors of the staged avail entries [from, own), every time
 * (so a descriptor corrupted in shared memory is whole again when next
 * posted); a run of consecutive descriptors (the steady state of a receive
 * batch) in one block. Every run but the last is written here; the last is
 * left in buf for the publish to write (one crossing less per send): its
 * block is returned (len 0 when there is none).
 */
static struct blk write_descs(struct virtqueue *vq, uint16_t from, uint16_t own, unsigned char *buf)
{
	struct blk last = { 0, buf, 0 };
	while (from != own) {
		if (last.len) {
			/* another run may follow: write the one in buf first */
			metal_io_block_write(vq->vq_v8r_ring_io, last.off, buf, (int)last.len);
			last.len = 0;
		}
		uint16_t first = vq->vq_descx[virtqueue_v8r_slot(vq, from)].v8r_avail_head;
		unsigned int n = 0;
		while (from != own && n < BLOCK) {
			uint16_t d = vq->vq_descx[virtqueue_v8r_slot(vq, from)].v8r_avail_head;
			if (d >= vq->vq_nentries || !vq->vq_descx[d].v8r_desc_dirty) {
				if (n)
					break;
				from++; /* written already (posted twice in one batch) */
				first = (uint16_t)(from != own ? vq->vq_descx[virtqueue_v8r_slot(vq, from)].v8r_avail_head : 0);
				continue;
			}
			if (d != first + n)
				break;
			encode_desc(vq, d, buf + sizeof(struct vring_desc) * n);
			n++;
			from++;
		}
		if (n) {
			last.off = vq->vq_v8r_desc + (unsigned long)first * sizeof(struct vring_desc);
			last.len = n * (unsigned int)sizeof(struct vring_desc);
		}
	}
	return last;
}

/* Copy the staged entries of [from, from + n) (one run of slots) into buf. */
static void gather(struct virtqueue *vq, uint16_t from, unsigned int n, unsigned char *buf)
{
	uint16_t slot = virtqueue_v8r_slot(vq, from);
	for (unsigned int i = 0; i < n; i++) {
		struct vq_desc_extra *x = &vq->vq_descx[slot + i];
		if (virtqueue_v8r_is_driver(vq)) {
			put16(buf + AVAIL_ELEM * i, x->v8r_avail_head);
		} else {
			put32(buf + USED_ELEM * i, x->v8r_used_id);
			put32(buf + USED_ELEM * i + 4u, x->v8r_used_len);
		}
	}
}

int virtqueue_v8r_flush(struct virtqueue *vq)
{
	int driver = virtqueue_v8r_is_driver(vq);
	unsigned int size = driver ? AVAIL_ELEM : USED_ELEM;
	uint16_t own = *own_index(vq), from = vq->vq_v8r_published;
	unsigned long part = own_part(vq);
	struct metal_io_region *io = vq->vq_v8r_ring_io;
	uint32_t r = 0;
	_Alignas(8) unsigned char dbuf[BLOCK * sizeof(struct vring_desc)];
	struct blk descs = { 0, dbuf, 0 };
	if (driver)
		descs = write_descs(vq, from, own, dbuf);
	while (from != own) {
		uint16_t slot = virtqueue_v8r_slot(vq, from);
		unsigned int n = (uint16_t)(own - from);
		if (n > (unsigned int)(vq->vq_nentries - slot))
			n = (unsigned int)(vq->vq_nentries - slot);
		if (n > BLOCK)
			n = BLOCK;
		_Alignas(8) unsigned char buf[BLOCK * USED_ELEM];
		gather(vq, from, n, buf);
		unsigned long at = part + V8R_RING_ENTRIES + size * slot;
		from = (uint16_t)(from + n);
		if (from != own) {
			metal_io_block_write(io, at, buf, (int)(n * size));
			continue;
		}
		uint32_t expect = driver ? ANY : vq->vq_v8r_published;
		unsigned long peer_flags = (driver ? vq->vq_v8r_used : vq->vq_v8r_avail) + V8R_RING_FLAGS;
		struct blk entries = { at, buf, n * size };
		r = exchange(io, entries, descs, part + V8R_RING_IDX, expect, own, peer_flags);
		if (r & V8R_PUBLISH_REFUSED) {
			vq->vq_v8r_lost = 1;
			return ERROR_VQUEUE_INVLD_PARAM;
		}
		vq->vq_v8r_published = own;
		vq->vq_v8r_peer_flags = (uint16_t)(r & LOW16);
		vq->vq_v8r_peer_flags_fresh = 1;
	}
	return VQUEUE_SUCCESS;
}

void virtqueue_v8r_begin_batch(struct virtqueue *vq)
{
	vq->vq_v8r_defer++;
}

void virtqueue_v8r_end_batch(struct virtqueue *vq)
{
	if (vq->vq_v8r_defer && --vq->vq_v8r_defer)
		return;
	virtqueue_v8r_flush(vq);
	if (vq->vq_v8r_kick_pending) {
		vq->vq_v8r_kick_pending = 0;
		virtqueue_kick(vq);
	}
}

void virtqueue_v8r_read_desc(struct virtqueue *vq, uint16_t head, uint64_t *addr, uint32_t *len, uint16_t *flags)
{
	struct vq_desc_extra *dx = &vq->vq_descx[head];
	if (dx->v8r_desc_ahead) {
		/* read ahead with its avail entry: used once */
		dx->v8r_desc_ahead = 0;
		*addr = dx->v8r_desc_addr;
		*len = dx->v8r_desc_len;
		*flags = dx->v8r_desc_flags;
		return;
	}
	_Alignas(8) unsigned char d[sizeof(struct vring_desc)] = { 0 };
	unsigned long off = vq->vq_v8r_desc + (unsigned long)head * sizeof(struct vring_desc);
	metal_io_block_read(vq->vq_v8r_ring_io, off, d, (int)sizeof(d));
	decode_desc(d, addr, len, flags);
}

unsigned int virtqueue_v8r_set_flags(struct virtqueue *vq, uint16_t flags, int recheck)
{
	struct metal_io_region *io = vq->vq_v8r_ring_io;
	unsigned long at = own_part(vq) + V8R_RING_FLAGS;
	vq->vq_v8r_own_flags = flags;
	if (!recheck) {
		metal_io_write16(io, at, flags);
		return 0;
	}
	struct blk none = { 0, NULL, 0 };
	uint16_t idx = (uint16_t)(exchange(io, none, none, at, ANY, flags, peer_part(vq) + V8R_RING_IDX) & LOW16);
	uint16_t pending = (uint16_t)(idx - *virtqueue_v8r_cursor(vq));
	if (pending > vq->vq_nentries)
		return 0u; /* left to virtqueue_v8r_peer_next(), which counts it */
	/* the index was read (sequentially consistent): the next virtqueue_v8r_peer_next() goes on from it */
	if (pending && vq->vq_v8r_ahead == *virtqueue_v8r_cursor(vq))
		vq->vq_v8r_peer_idx = idx;
	return pending;
}
