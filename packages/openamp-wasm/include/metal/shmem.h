/* v8r libmetal: named shared-memory regions registered by the platform. */
#ifndef __METAL_SHMEM__H__
#define __METAL_SHMEM__H__

#include <stddef.h>
#include <metal/io.h>
#include <metal/list.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A statically known shared-memory region. */
struct metal_generic_shmem {
	const char *name;
	struct metal_io_region io;
	struct metal_list node;
};

/** Open the registered region `name` of at least size bytes; 0 and *io, or -ENOENT / -EINVAL. */
int metal_shmem_open(const char *name, size_t size, struct metal_io_region **io);

/** Register a region for metal_shmem_open(); 0, or -EINVAL for one without a name. */
int metal_shmem_register_generic(struct metal_generic_shmem *shmem);

#ifdef __cplusplus
}
#endif

#endif /* __METAL_SHMEM__H__ */
