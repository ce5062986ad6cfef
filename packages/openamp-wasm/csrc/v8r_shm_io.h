/* v8r: a metal_io_region over shared memory reached only through imports. */
#ifndef V8R_SHM_IO_H
#define V8R_SHM_IO_H

#include <stddef.h>
#include <metal/io.h>

/*
 * Base of the addresses of a region that has no mirror (the TypeScript
 * glue's: its callbacks take offsets): never dereferenced, only converted
 * back to offsets. Non-zero so that offset 0 is not NULL.
 */
#define V8R_SHM_TOKEN_BASE ((void *)(uintptr_t)0x40000000u)

/* Largest region whose cookies (token base + offset, one past the end included) fit in 32 bits. */
#define V8R_MAX_SHM_SIZE 0xBFFFFFFFu

extern const struct metal_io_ops v8r_shm_io_ops;

/** Whether io is a region over the v8r_shm imports (the rings use their batched publish then). */
int v8r_shm_io_is(const struct metal_io_region *io);

/**
 * Read len bytes at each of the n offsets into dst (dst + i * len); one crossing on a v8r region, a block read
 * each on any other. The caller checks every range lies in the region.
 */
void v8r_shm_io_gather(struct metal_io_region *io, const uint32_t *offs, unsigned int n, unsigned int len, void *dst);

/**
 * Set up io over size bytes of shared memory at physical address *physbase,
 * reached through the v8r_shm imports. mirror: size bytes of linear memory
 * (aligned at least as the vrings' alignment) that the addresses the API hands
 * out point into; NULL for a region whose users take offsets only.
 */
void v8r_shm_io_init(struct metal_io_region *io, void *mirror, metal_phys_addr_t *physbase, size_t size);

#endif
