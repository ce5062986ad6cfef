/* v8r: what remoteproc_load and remoteproc_load_noblock share. */
#ifndef V8R_REMOTEPROC_LOADER_H
#define V8R_REMOTEPROC_LOADER_H

#include <stddef.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_loader.h>

/** The loader for an image starting with the len bytes at img_data (ELF: elf_ops), NULL when none fits. */
const struct loader_ops *v8r_loader_for(const void *img_data, size_t len);

/** Whether io holds the span bytes at physical address pa; *at gets pa's offset. */
int v8r_io_holds(struct metal_io_region *io, metal_phys_addr_t pa, size_t span, unsigned long *at);

/**
 * Parse the resource table copy at table (size bytes of local memory) as
 * remoteproc_set_rsc_table parses one: carveouts mapped, notify ids allocated
 * and written into the copy, vendor entries given to ops->handle_rsc. 0 or a
 * negative RPROC_ error.
 */
int v8r_handle_local_rsc(struct remoteproc *rproc, void *table, size_t size);

#endif
