/* v8r: resource-table parsing, through the table's I/O region (never through a pointer into it). */
#ifndef V8R_RSC_TABLE_H
#define V8R_RSC_TABLE_H

#include <stddef.h>
#include <openamp/remoteproc.h>

/** Offset from the table start of the index-th entry of type rsc_type, 0 when there is none. */
size_t v8r_find_rsc(struct metal_io_region *io, unsigned long table_off, size_t size, uint32_t rsc_type,
		    unsigned int index);

/**
 * Check the table at table_off and handle each entry as upstream does:
 * carveouts mapped (remoteproc_mmap), vdev notify ids allocated (written back
 * when they were RSC_NOTIFY_ID_ANY), vendor entries given to ops->handle_rsc,
 * devmem, trace and unknown entries accepted. 0 or a negative RPROC_ error.
 */
int v8r_handle_rsc_table(struct remoteproc *rproc, struct metal_io_region *io, unsigned long table_off, size_t size);

#endif
