/*
 * v8r libmetal: I/O regions, with libmetal's structure and functions.
 *
 * A region without ops is plain memory at `virt` and is accessed directly, as
 * libmetal does. A region with ops (v8r shared memory: wasm imports over the
 * SharedArrayBuffer window) is only ever accessed through them; its `virt` is
 * the base of a linear-memory mirror of the region, so that the addresses the
 * OpenAMP API hands out are real pointers. Which bytes of the mirror are kept
 * in step with shared memory, and when, is the package README's "pointer rule".
 */
#ifndef __METAL_IO__H__
#define __METAL_IO__H__

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <metal/assert.h>
#include <metal/atomic.h>
#include <metal/compiler.h>
#include <metal/cpu.h>
#include <metal/sys.h>

#ifdef __cplusplus
extern "C" {
#endif

struct metal_io_region;

/** Operations of an I/O region; any may be NULL. */
struct metal_io_ops {
	uint64_t (*read)(struct metal_io_region *io, unsigned long offset, memory_order order, int width);
	void (*write)(struct metal_io_region *io, unsigned long offset, uint64_t value, memory_order order, int width);
	int (*block_read)(struct metal_io_region *io, unsigned long offset, void *restrict dst, memory_order order,
			  int len);
	int (*block_write)(struct metal_io_region *io, unsigned long offset, const void *restrict src,
			   memory_order order, int len);
	void (*block_set)(struct metal_io_region *io, unsigned long offset, unsigned char value, memory_order order,
			  int len);
	void (*close)(struct metal_io_region *io);
	metal_phys_addr_t (*offset_to_phys)(struct metal_io_region *io, unsigned long offset);
	unsigned long (*phys_to_offset)(struct metal_io_region *io, metal_phys_addr_t phys);
};

/** An I/O region of `size` bytes. */
struct metal_io_region {
	void *virt;                       /* base virtual address (v8r shared memory: the mirror) */
	const metal_phys_addr_t *physmap; /* physical address of each page */
	size_t size;
	unsigned long page_shift;         /* log2 of the page size; >= bits of an address: one page */
	metal_phys_addr_t page_mask;
	unsigned int mem_flags;
	struct metal_io_ops ops;
};

void metal_io_init(struct metal_io_region *io, void *virt, const metal_phys_addr_t *physmap, size_t size,
		   unsigned int page_shift, unsigned int mem_flags, const struct metal_io_ops *ops);

/** Close the region (its close op) and clear it. */
static inline void metal_io_finish(struct metal_io_region *io)
{
	if (io->ops.close)
		io->ops.close(io);
	memset(io, 0, sizeof(*io));
}

static inline size_t metal_io_region_size(struct metal_io_region *io)
{
	return io->size;
}

/** Virtual address of an offset, NULL when outside the region or the region has no address. */
static inline void *metal_io_virt(struct metal_io_region *io, unsigned long offset)
{
	return io->virt != METAL_BAD_VA && offset < io->size ? (void *)((uintptr_t)io->virt + offset) : NULL;
}

/** Offset of a virtual address, METAL_BAD_OFFSET when outside the region. */
static inline unsigned long metal_io_virt_to_offset(struct metal_io_region *io, void *virt)
{
	size_t offset = (uintptr_t)virt - (uintptr_t)io->virt;
	return offset < io->size ? offset : METAL_BAD_OFFSET;
}

metal_phys_addr_t metal_io_phys(struct metal_io_region *io, unsigned long offset);
unsigned long metal_io_phys_to_offset(struct metal_io_region *io, metal_phys_addr_t phys);

static inline void *metal_io_phys_to_virt(struct metal_io_region *io, metal_phys_addr_t phys)
{
	return metal_io_virt(io, metal_io_phys_to_offset(io, phys));
}

static inline metal_phys_addr_t metal_io_virt_to_phys(struct metal_io_region *io, void *virt)
{
	return metal_io_phys(io, metal_io_virt_to_offset(io, virt));
}

/** Read width (1, 2, 4 or 8) bytes at offset; 0 outside the region. */
uint64_t metal_io_read(struct metal_io_region *io, unsigned long offset, memory_order order, int width);
/** Write width (1, 2, 4 or 8) bytes at offset; nothing outside the region. */
void metal_io_write(struct metal_io_region *io, unsigned long offset, uint64_t value, memory_order order, int width);

static inline uint8_t metal_io_read8_explicit(struct metal_io_region *io, unsigned long offset, memory_order order)
{
	return (uint8_t)metal_io_read(io, offset, order, 1);
}
static inline uint8_t metal_io_read8(struct metal_io_region *io, unsigned long offset)
{
	return (uint8_t)metal_io_read(io, offset, memory_order_seq_cst, 1);
}
static inline uint16_t metal_io_read16_explicit(struct metal_io_region *io, unsigned long offset, memory_order order)
{
	return (uint16_t)metal_io_read(io, offset, order, 2);
}
static inline uint16_t metal_io_read16(struct metal_io_region *io, unsigned long offset)
{
	return (uint16_t)metal_io_read(io, offset, memory_order_seq_cst, 2);
}
static inline uint32_t metal_io_read32_explicit(struct metal_io_region *io, unsigned long offset, memory_order order)
{
	return (uint32_t)metal_io_read(io, offset, order, 4);
}
static inline uint32_t metal_io_read32(struct metal_io_region *io, unsigned long offset)
{
	return (uint32_t)metal_io_read(io, offset, memory_order_seq_cst, 4);
}
static inline uint64_t metal_io_read64_explicit(struct metal_io_region *io, unsigned long offset, memory_order order)
{
	return metal_io_read(io, offset, order, 8);
}
static inline uint64_t metal_io_read64(struct metal_io_region *io, unsigned long offset)
{
	return metal_io_read(io, offset, memory_order_seq_cst, 8);
}
static inline void metal_io_write8_explicit(struct metal_io_region *io, unsigned long offset, uint8_t value,
					    memory_order order)
{
	metal_io_write(io, offset, value, order, 1);
}
static inline void metal_io_write8(struct metal_io_region *io, unsigned long offset, uint8_t value)
{
	metal_io_write(io, offset, value, memory_order_seq_cst, 1);
}
static inline void metal_io_write16_explicit(struct metal_io_region *io, unsigned long offset, uint16_t value,
					     memory_order order)
{
	metal_io_write(io, offset, value, order, 2);
}
static inline void metal_io_write16(struct metal_io_region *io, unsigned long offset, uint16_t value)
{
	metal_io_write(io, offset, value, memory_order_seq_cst, 2);
}
static inline void metal_io_write32_explicit(struct metal_io_region *io, unsigned long offset, uint32_t value,
					     memory_order order)
{
	metal_io_write(io, offset, value, order, 4);
}
static inline void metal_io_write32(struct metal_io_region *io, unsigned long offset, uint32_t value)
{
	metal_io_write(io, offset, value, memory_order_seq_cst, 4);
}
static inline void metal_io_write64_explicit(struct metal_io_region *io, unsigned long offset, uint64_t value,
					     memory_order order)
{
	metal_io_write(io, offset, value, order, 8);
}
static inline void metal_io_write64(struct metal_io_region *io, unsigned long offset, uint64_t value)
{
	metal_io_write(io, offset, value, memory_order_seq_cst, 8);
}

/** Copy len bytes out of the region (cut at its end); bytes copied, or -ERANGE for an offset outside it. */
int metal_io_block_read(struct metal_io_region *io, unsigned long offset, void *restrict dst, int len);
/** Copy len bytes into the region (cut at its end); bytes copied, or -ERANGE. */
int metal_io_block_write(struct metal_io_region *io, unsigned long offset, const void *restrict src, int len);
/** Fill len bytes of the region (cut at its end); bytes filled, or -ERANGE. */
int metal_io_block_set(struct metal_io_region *io, unsigned long offset, unsigned char value, int len);

#ifdef __cplusplus
}
#endif

#endif /* __METAL_IO__H__ */
