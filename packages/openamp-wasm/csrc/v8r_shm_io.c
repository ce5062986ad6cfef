/* v8r: metal_io ops that reach shared memory through the platform accessors. */
#include "v8r_shm_io.h"
#include "_platform.h"

static uint64_t shm_read(struct metal_io_region *io, unsigned long offset, memory_order order, int width)
{
	(void)io;
	uint32_t off = (uint32_t)offset;
	int ordered = order != memory_order_relaxed;
	switch (width) {
	case 1:
		return v8r_shm_read8(off);
	case 2:
		return ordered && !(off & 1u) ? v8r_shm_load_acquire16(off) : v8r_shm_read16(off);
	case 4:
		return ordered && !(off & 3u) ? v8r_shm_load_acquire32(off) : v8r_shm_read32(off);
	case 8:
		return (uint64_t)v8r_shm_read32(off) | ((uint64_t)v8r_shm_read32(off + 4u) << 32);
	default:
		return 0;
	}
}

static void shm_write(struct metal_io_region *io, unsigned long offset, uint64_t value, memory_order order, int width)
{
	(void)io;
	uint32_t off = (uint32_t)offset;
	int ordered = order != memory_order_relaxed;
	switch (width) {
	case 1:
		v8r_shm_write8(off, (uint32_t)value & 0xffu);
		break;
	case 2:
		if (ordered && !(off & 1u))
			v8r_shm_store_release16(off, (uint32_t)value & 0xffffu);
		else
			v8r_shm_write16(off, (uint32_t)value & 0xffffu);
		break;
	case 4:
		if (ordered && !(off & 3u))
			v8r_shm_store_release32(off, (uint32_t)value);
		else
			v8r_shm_write32(off, (uint32_t)value);
		break;
	case 8:
		v8r_shm_write32(off, (uint32_t)value);
		v8r_shm_write32(off + 4u, (uint32_t)(value >> 32));
		break;
	default:
		break;
	}
}

static int shm_block_read(struct metal_io_region *io, unsigned long offset, void *restrict dst, memory_order order,
			  int len)
{
	(void)io;
	(void)order;
	v8r_shm_block_read((uint32_t)offset, dst, (uint32_t)len);
	return len;
}

static int shm_block_write(struct metal_io_region *io, unsigned long offset, const void *restrict src,
			   memory_order order, int len)
{
	(void)io;
	(void)order;
	v8r_shm_block_write((uint32_t)offset, src, (uint32_t)len);
	return len;
}

static void shm_block_set(struct metal_io_region *io, unsigned long offset, unsigned char value, memory_order order,
			  int len)
{
	(void)io;
	(void)order;
	v8r_shm_block_set((uint32_t)offset, value, (uint32_t)len);
}

static metal_phys_addr_t shm_offset_to_phys(struct metal_io_region *io, unsigned long offset)
{
	if (offset >= io->size || !io->physmap)
		return METAL_BAD_PHYS;
	return io->physmap[0] + offset;
}

const struct metal_io_ops v8r_shm_io_ops = {
	.read = shm_read,
	.write = shm_write,
	.block_read = shm_block_read,
	.block_write = shm_block_write,
	.block_set = shm_block_set,
	.close = NULL,
	.offset_to_phys = shm_offset_to_phys,
	.phys_to_offset = NULL, /* metal_io_phys_to_offset() handles one contiguous physmap */
};

void v8r_shm_io_init(struct metal_io_region *io, void *mirror, metal_phys_addr_t *physbase, size_t size)
{
	metal_io_init(io, mirror ? mirror : V8R_SHM_TOKEN_BASE, physbase, size,
		      (unsigned int)(sizeof(metal_phys_addr_t) * 8), 0, &v8r_shm_io_ops);
}

int v8r_shm_io_is(const struct metal_io_region *io)
{
	return io && io->ops.block_write == shm_block_write;
}

void v8r_shm_io_gather(struct metal_io_region *io, const uint32_t *offs, unsigned int n, unsigned int len, void *dst)
{
	if (v8r_shm_io_is(io)) {
		v8r_shm_block_gather(offs, n, len, dst);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		metal_io_block_read(io, offs[i], (unsigned char *)dst + (size_t)i * len, (int)len);
}
