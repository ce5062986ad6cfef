/* v8r libmetal subset: I/O region access through ops or a direct mapping. */
#include <string.h>
#include <metal/io.h>

void metal_io_init(struct metal_io_region *io, void *virt, const metal_phys_addr_t *physmap, size_t size,
		   unsigned int page_shift, unsigned int mem_flags, const struct metal_io_ops *ops)
{
	io->virt = virt;
	io->physmap = physmap;
	io->size = size;
	io->page_shift = page_shift;
	if (page_shift >= sizeof(io->page_mask) * 8)
		io->page_mask = (metal_phys_addr_t)-1;
	else
		io->page_mask = ((metal_phys_addr_t)1 << page_shift) - 1;
	io->mem_flags = mem_flags;
	if (ops)
		io->ops = *ops;
	else
		memset(&io->ops, 0, sizeof(io->ops));
}

void *metal_io_virt(struct metal_io_region *io, unsigned long offset)
{
	if (offset > io->size)
		return NULL;
	return (void *)((uintptr_t)io->virt + offset);
}

unsigned long metal_io_virt_to_offset(struct metal_io_region *io, void *virt)
{
	uintptr_t v = (uintptr_t)virt;
	uintptr_t base = (uintptr_t)io->virt;
	if (v < base || v - base >= io->size)
		return METAL_BAD_OFFSET;
	return (unsigned long)(v - base);
}

metal_phys_addr_t metal_io_phys(struct metal_io_region *io, unsigned long offset)
{
	if (io->ops.offset_to_phys)
		return io->ops.offset_to_phys(io, offset);
	if (!io->physmap || offset >= io->size)
		return METAL_BAD_PHYS;
	unsigned long page = io->page_shift >= sizeof(offset) * 8 ? 0 : offset >> io->page_shift;
	return io->physmap[page] + (offset & io->page_mask);
}

unsigned long metal_io_phys_to_offset(struct metal_io_region *io, metal_phys_addr_t phys)
{
	if (io->ops.phys_to_offset)
		return io->ops.phys_to_offset(io, phys);
	if (!io->physmap)
		return METAL_BAD_OFFSET;
	/* Physically contiguous regions only (one physmap entry covering the region). */
	metal_phys_addr_t base = io->physmap[0];
	if (phys < base || phys - base >= io->size)
		return METAL_BAD_OFFSET;
	return (unsigned long)(phys - base);
}

void *metal_io_phys_to_virt(struct metal_io_region *io, metal_phys_addr_t phys)
{
	unsigned long off = metal_io_phys_to_offset(io, phys);
	return off == METAL_BAD_OFFSET ? NULL : metal_io_virt(io, off);
}

metal_phys_addr_t metal_io_virt_to_phys(struct metal_io_region *io, void *virt)
{
	unsigned long off = metal_io_virt_to_offset(io, virt);
	return off == METAL_BAD_OFFSET ? METAL_BAD_PHYS : metal_io_phys(io, off);
}

static int io_range_ok(struct metal_io_region *io, unsigned long offset, unsigned long len)
{
	return offset <= io->size && len <= io->size - offset;
}

uint64_t metal_io_read(struct metal_io_region *io, unsigned long offset, memory_order order, int width)
{
	if (width <= 0 || !io_range_ok(io, offset, (unsigned long)width))
		return 0;
	if (io->ops.read)
		return io->ops.read(io, offset, order, width);
	if (!io->virt)
		return 0;
	unsigned char *p = (unsigned char *)io->virt + offset;
	uint64_t v = 0;
	memcpy(&v, p, (size_t)width); /* little-endian hosts only */
	return v;
}

void metal_io_write(struct metal_io_region *io, unsigned long offset, uint64_t value, memory_order order, int width)
{
	if (width <= 0 || !io_range_ok(io, offset, (unsigned long)width))
		return;
	if (io->ops.write) {
		io->ops.write(io, offset, value, order, width);
		return;
	}
	if (!io->virt)
		return;
	memcpy((unsigned char *)io->virt + offset, &value, (size_t)width);
}

int metal_io_block_read(struct metal_io_region *io, unsigned long offset, void *dst, int len)
{
	if (len < 0 || !io_range_ok(io, offset, (unsigned long)len))
		return -1;
	if (io->ops.block_read)
		return io->ops.block_read(io, offset, dst, memory_order_seq_cst, len);
	if (!io->virt)
		return -1;
	memcpy(dst, (unsigned char *)io->virt + offset, (size_t)len);
	return len;
}

int metal_io_block_write(struct metal_io_region *io, unsigned long offset, const void *src, int len)
{
	if (len < 0 || !io_range_ok(io, offset, (unsigned long)len))
		return -1;
	if (io->ops.block_write)
		return io->ops.block_write(io, offset, src, memory_order_seq_cst, len);
	if (!io->virt)
		return -1;
	memcpy((unsigned char *)io->virt + offset, src, (size_t)len);
	return len;
}

int metal_io_block_set(struct metal_io_region *io, unsigned long offset, unsigned char value, int len)
{
	if (len < 0 || !io_range_ok(io, offset, (unsigned long)len))
		return -1;
	if (io->ops.block_set) {
		io->ops.block_set(io, offset, value, memory_order_seq_cst, len);
		return len;
	}
	if (!io->virt)
		return -1;
	memset((unsigned char *)io->virt + offset, value, (size_t)len);
	return len;
}
