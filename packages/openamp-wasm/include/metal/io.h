/*
 * v8r libmetal subset: I/O regions.
 *
 * In v8r a shared-memory region has no C mapping: `virt` is only a token
 * base used to turn "virtual addresses" handed through the OpenAMP API into
 * offsets, and every access goes through `ops` (wasm imports implemented in
 * TypeScript over the shared bytes). A region with no read/write ops falls
 * back to direct access through `virt`, as upstream libmetal does.
 */
#ifndef METAL_IO_H
#define METAL_IO_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t metal_phys_addr_t;

#define METAL_BAD_PHYS ((metal_phys_addr_t)-1)
#define METAL_BAD_OFFSET ((unsigned long)-1)
#define METAL_BAD_VA ((void *)-1)

struct metal_io_region;

/** Operations of an I/O region; any may be NULL. */
struct metal_io_ops {
	uint64_t (*read)(struct metal_io_region *io, unsigned long offset, memory_order order, int width);
	void (*write)(struct metal_io_region *io, unsigned long offset, uint64_t value, memory_order order, int width);
	int (*block_read)(struct metal_io_region *io, unsigned long offset, void *dst, memory_order order, int len);
	int (*block_write)(struct metal_io_region *io, unsigned long offset, const void *src, memory_order order, int len);
	void (*block_set)(struct metal_io_region *io, unsigned long offset, unsigned char value, memory_order order, int len);
	void (*close)(struct metal_io_region *io);
	metal_phys_addr_t (*offset_to_phys)(struct metal_io_region *io, unsigned long offset);
	unsigned long (*phys_to_offset)(struct metal_io_region *io, metal_phys_addr_t phys);
};

/** An I/O region: `size` bytes, physically contiguous from physmap[0] when page_shift covers the region. */
struct metal_io_region {
	void *virt;
	const metal_phys_addr_t *physmap;
	size_t size;
	unsigned long page_shift;
	metal_phys_addr_t page_mask;
	unsigned int mem_flags;
	struct metal_io_ops ops;
};

void metal_io_init(struct metal_io_region *io, void *virt, const metal_phys_addr_t *physmap, size_t size,
		   unsigned int page_shift, unsigned int mem_flags, const struct metal_io_ops *ops);

static inline void metal_io_finish(struct metal_io_region *io)
{
	if (io->ops.close)
		io->ops.close(io);
}

static inline size_t metal_io_region_size(struct metal_io_region *io) { return io->size; }

/** Token address of an offset (never dereferenced when the region has ops). */
void *metal_io_virt(struct metal_io_region *io, unsigned long offset);
/** Offset of a token address, or METAL_BAD_OFFSET when outside the region. */
unsigned long metal_io_virt_to_offset(struct metal_io_region *io, void *virt);
metal_phys_addr_t metal_io_phys(struct metal_io_region *io, unsigned long offset);
unsigned long metal_io_phys_to_offset(struct metal_io_region *io, metal_phys_addr_t phys);
void *metal_io_phys_to_virt(struct metal_io_region *io, metal_phys_addr_t phys);
metal_phys_addr_t metal_io_virt_to_phys(struct metal_io_region *io, void *virt);

uint64_t metal_io_read(struct metal_io_region *io, unsigned long offset, memory_order order, int width);
void metal_io_write(struct metal_io_region *io, unsigned long offset, uint64_t value, memory_order order, int width);
int metal_io_block_read(struct metal_io_region *io, unsigned long offset, void *dst, int len);
int metal_io_block_write(struct metal_io_region *io, unsigned long offset, const void *src, int len);
int metal_io_block_set(struct metal_io_region *io, unsigned long offset, unsigned char value, int len);

#define metal_io_read8_explicit(io, ofs, order) ((uint8_t)metal_io_read((io), (ofs), (order), 1))
#define metal_io_read8(io, ofs) metal_io_read8_explicit((io), (ofs), memory_order_seq_cst)
#define metal_io_write8_explicit(io, ofs, val, order) metal_io_write((io), (ofs), (val), (order), 1)
#define metal_io_write8(io, ofs, val) metal_io_write8_explicit((io), (ofs), (val), memory_order_seq_cst)
#define metal_io_read16_explicit(io, ofs, order) ((uint16_t)metal_io_read((io), (ofs), (order), 2))
#define metal_io_read16(io, ofs) metal_io_read16_explicit((io), (ofs), memory_order_seq_cst)
#define metal_io_write16_explicit(io, ofs, val, order) metal_io_write((io), (ofs), (val), (order), 2)
#define metal_io_write16(io, ofs, val) metal_io_write16_explicit((io), (ofs), (val), memory_order_seq_cst)
#define metal_io_read32_explicit(io, ofs, order) ((uint32_t)metal_io_read((io), (ofs), (order), 4))
#define metal_io_read32(io, ofs) metal_io_read32_explicit((io), (ofs), memory_order_seq_cst)
#define metal_io_write32_explicit(io, ofs, val, order) metal_io_write((io), (ofs), (val), (order), 4)
#define metal_io_write32(io, ofs, val) metal_io_write32_explicit((io), (ofs), (val), memory_order_seq_cst)
#define metal_io_read64_explicit(io, ofs, order) ((uint64_t)metal_io_read((io), (ofs), (order), 8))
#define metal_io_read64(io, ofs) metal_io_read64_explicit((io), (ofs), memory_order_seq_cst)
#define metal_io_write64_explicit(io, ofs, val, order) metal_io_write((io), (ofs), (val), (order), 8)
#define metal_io_write64(io, ofs, val) metal_io_write64_explicit((io), (ofs), (val), memory_order_seq_cst)

#ifdef __cplusplus
}
#endif

#endif
