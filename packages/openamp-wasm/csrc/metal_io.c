/* v8r libmetal: I/O region access through the region's ops, or directly when it has none. */
#include <string.h>
#include <metal/errno.h>
#include <metal/io.h>
#include "_mirror.h"

void metal_io_init(struct metal_io_region *io, void *virt, const metal_phys_addr_t *physmap, size_t size,
		   unsigned int page_shift, unsigned int mem_flags, const struct metal_io_ops *ops)
{
	io->virt = virt;
	io->physmap = physmap;
	io->size = size;
	io->page_shift = page_shift;
	if (page_shift >= sizeof(io->page_mask) * CHAR_BIT)
		io->page_mask = (metal_phys_addr_t)-1;
	else
		io->page_mask = ((metal_phys_addr_t)1 << page_shift) - 1;
	io->mem_flags = mem_flags;
	if (ops)
		io->ops = *ops;
	else
		memset(&io->ops, 0, sizeof(io->ops));
}

metal_phys_addr_t metal_io_phys(struct metal_io_region *io, unsigned long offset)
{
	if (io->ops.offset_to_phys)
		return io->ops.offset_to_phys(io, offset);
	if (!io->physmap || offset >= io->size)
		return METAL_BAD_PHYS;
	unsigned long page = io->page_shift >= sizeof(offset) * CHAR_BIT ? 0 : offset >> io->page_shift;
	return io->physmap[page] + (offset & io->page_mask);
}

unsigned long metal_io_phys_to_offset(struct metal_io_region *io, metal_phys_addr_t phys)
{
	if (io->ops.phys_to_offset)
		return io->ops.phys_to_offset(io, phys);
	if (!io->physmap)
		return METAL_BAD_OFFSET;
	/* try the offset in each page: the first whose physical address matches */
	unsigned long offset = io->page_mask == (metal_phys_addr_t)-1 ? (unsigned long)(phys - io->physmap[0])
								       : (unsigned long)(phys & io->page_mask);
	do {
		if (metal_io_phys(io, offset) == phys)
			return offset;
		offset += io->page_mask + 1;
	} while (offset < io->size && io->page_mask != (metal_phys_addr_t)-1);
	return METAL_BAD_OFFSET;
}

static int in_range(struct metal_io_region *io, unsigned long offset, unsigned long len)
{
	return offset <= io->size && len <= io->size - offset;
}

/* Direct access of width bytes at p: atomic when aligned, as libmetal does; byte copies otherwise. */
static uint64_t load(const unsigned char *p, memory_order order, int width)
{
	uintptr_t a = (uintptr_t)p;
	switch (width) {
	case 1:
		return atomic_load_explicit((const _Atomic uint8_t *)p, order);
	case 2:
		if (!(a & 1u))
			return atomic_load_explicit((const _Atomic uint16_t *)(const void *)p, order);
		break;
	case 4:
		if (!(a & 3u))
			return atomic_load_explicit((const _Atomic uint32_t *)(const void *)p, order);
		break;
	default:
		break;
	}
	uint64_t v = 0;
	memcpy(&v, p, (size_t)width); /* little-endian hosts */
	return v;
}

static void store(unsigned char *p, uint64_t value, memory_order order, int width)
{
	uintptr_t a = (uintptr_t)p;
	if (width == 1) {
		atomic_store_explicit((_Atomic uint8_t *)p, (uint8_t)value, order);
	} else if (width == 2 && !(a & 1u)) {
		atomic_store_explicit((_Atomic uint16_t *)(void *)p, (uint16_t)value, order);
	} else if (width == 4 && !(a & 3u)) {
		atomic_store_explicit((_Atomic uint32_t *)(void *)p, (uint32_t)value, order);
	} else {
		atomic_thread_fence(order);
		memcpy(p, &value, (size_t)width);
	}
}

uint64_t metal_io_read(struct metal_io_region *io, unsigned long offset, memory_order order, int width)
{
	if ((width != 1 && width != 2 && width != 4 && width != 8) || !in_range(io, offset, (unsigned long)width))
		return 0;
	if (io->ops.read)
		return io->ops.read(io, offset, order, width);
	unsigned char *p = metal_io_virt(io, offset);
	return p ? load(p, order, width) : 0;
}

void metal_io_write(struct metal_io_region *io, unsigned long offset, uint64_t value, memory_order order, int width)
{
	if ((width != 1 && width != 2 && width != 4 && width != 8) || !in_range(io, offset, (unsigned long)width))
		return;
	if (io->ops.write) {
		io->ops.write(io, offset, value, order, width);
		return;
	}
	unsigned char *p = metal_io_virt(io, offset);
	if (p)
		store(p, value, order, width);
}

/* Clip len to the region's end; -ERANGE for an offset outside it. */
static int clip(struct metal_io_region *io, unsigned long offset, int len)
{
	if (offset >= io->size || len < 0)
		return -ERANGE;
	return (unsigned long)len > io->size - offset ? (int)(io->size - offset) : len;
}

int metal_io_block_read(struct metal_io_region *io, unsigned long offset, void *restrict dst, int len)
{
	len = clip(io, offset, len);
	if (len < 0)
		return len;
	if (io->ops.block_read)
		return io->ops.block_read(io, offset, dst, memory_order_seq_cst, len);
	unsigned char *p = metal_io_virt(io, offset);
	if (!p)
		return -ERANGE;
	atomic_thread_fence(memory_order_seq_cst);
	memmove(dst, p, (size_t)len);
	return len;
}

int metal_io_block_write(struct metal_io_region *io, unsigned long offset, const void *restrict src, int len)
{
	len = clip(io, offset, len);
	if (len < 0)
		return len;
	if (io->ops.block_write)
		return io->ops.block_write(io, offset, src, memory_order_seq_cst, len);
	unsigned char *p = metal_io_virt(io, offset);
	if (!p)
		return -ERANGE;
	memmove(p, src, (size_t)len);
	atomic_thread_fence(memory_order_seq_cst);
	return len;
}

int metal_io_block_set(struct metal_io_region *io, unsigned long offset, unsigned char value, int len)
{
	len = clip(io, offset, len);
	if (len < 0)
		return len;
	if (io->ops.block_set) {
		io->ops.block_set(io, offset, value, memory_order_seq_cst, len);
		return len;
	}
	unsigned char *p = metal_io_virt(io, offset);
	if (!p)
		return -ERANGE;
	memset(p, value, (size_t)len);
	atomic_thread_fence(memory_order_seq_cst);
	return len;
}

void v8r_mirror_in(struct metal_io_region *io, unsigned long off, unsigned long len)
{
	unsigned char *p = metal_io_virt(io, off);
	if (io->ops.block_read && p && in_range(io, off, len))
		io->ops.block_read(io, off, p, memory_order_seq_cst, (int)len);
}

void v8r_mirror_out(struct metal_io_region *io, unsigned long off, unsigned long len)
{
	unsigned char *p = metal_io_virt(io, off);
	if (io->ops.block_write && p && in_range(io, off, len))
		io->ops.block_write(io, off, p, memory_order_seq_cst, (int)len);
}
