/*
 * v8r: keeping a region's linear-memory mirror in step with shared memory at
 * the moments the OpenAMP API hands C code a pointer (see the README's
 * pointer rule). Both do nothing for a region without ops, whose `virt` is the
 * memory itself.
 */
#ifndef V8R_MIRROR_H
#define V8R_MIRROR_H

#include <metal/io.h>

/** Copy [off, off + len) of shared memory into the mirror. */
void v8r_mirror_in(struct metal_io_region *io, unsigned long off, unsigned long len);
/** Copy [off, off + len) of the mirror into shared memory. */
void v8r_mirror_out(struct metal_io_region *io, unsigned long off, unsigned long len);

#endif
