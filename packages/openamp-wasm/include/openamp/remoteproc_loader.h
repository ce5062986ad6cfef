/*
 * v8r OpenAMP: the executable loader interface of remoteproc, as OpenAMP
 * declares it: the image store a platform implements (where the image's bytes
 * come from, and how they reach the remote's memory) and the operations of a
 * loader (openamp/elf_loader.h's elf_ops is the one v8r provides).
 */
#ifndef REMOTEPROC_LOADER_H_
#define REMOTEPROC_LOADER_H_

#include <metal/io.h>
#include <metal/list.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>

#if defined __cplusplus
extern "C" {
#endif

/* Store features: the store can give any part of the image at any time (else: in order only). */
#define SUPPORT_SEEK 1UL

/* The data asked for goes to local memory, not to the remote's. */
#define RPROC_LOAD_ANYADDR ((metal_phys_addr_t)-1)

/* Load states a loader returns (in RPROC_LOADER_MASK; the low 16 bits are the loader's own). */
#define RPROC_LOADER_NOT_READY 0x0L         /* headers still being read */
#define RPROC_LOADER_READY_TO_LOAD 0x10000L /* enough headers to load the data (more may follow) */
#define RPROC_LOADER_POST_DATA_LOAD 0x20000L /* data loaded; headers after it still to read */
#define RPROC_LOADER_LOAD_COMPLETE 0x40000L /* everything read and loaded */
#define RPROC_LOADER_MASK 0x00FF0000L
#define RPROC_LOADER_PRIVATE_MASK 0x0000FFFFL
#define RPROC_LOADER_RESERVED_MASK 0x0F000000L

/** Where an image comes from; the platform implements it. */
struct image_store_ops {
	/** Open the image (path may be NULL); *img_data: its first bytes; returns how many (<= 0: failure). */
	int (*open)(void *store, const char *path, const void **img_data);
	/** Close the image. */
	void (*close)(void *store);
	/**
	 * Give size bytes of the image from offset: in local memory (*data; pa is
	 * RPROC_LOAD_ANYADDR, io NULL), or written into the remote's memory at pa
	 * through io. Returns the number of bytes given, negative on failure.
	 */
	int (*load)(void *store, size_t offset, size_t size, const void **data, metal_phys_addr_t pa,
		    struct metal_io_region *io, char is_blocking);
	/** SUPPORT_SEEK or 0. */
	unsigned int features;
};

/** The operations of an executable loader (elf_ops). */
struct loader_ops {
	/** Parse headers from the image bytes [offset, offset + len); the next bytes needed in *noffset, *nlen. */
	int (*load_header)(const void *img_data, size_t offset, size_t len, void **img_info, int last_state,
			   size_t *noffset, size_t *nlen);
	/** The next data to load: *da (RPROC_LOAD_ANYADDR: headers, to local memory), *noffset, *nlen, *nmemsize. */
	int (*load_data)(struct remoteproc *rproc, const void *img_data, size_t offset, size_t len, void **img_info,
			 int last_load_state, metal_phys_addr_t *da, size_t *noffset, size_t *nlen,
			 unsigned char *padding, size_t *nmemsize);
	/** The resource table's device address, offset in the image and size (0: none). */
	int (*locate_rsc_table)(void *img_info, metal_phys_addr_t *da, size_t *offset, size_t *size);
	/** Free img_info. */
	void (*release)(void *img_info);
	/** The image's entry point. */
	metal_phys_addr_t (*get_entry)(void *img_info);
	/** The load state kept in img_info. */
	int (*get_load_state)(void *img_info);
};

#if defined __cplusplus
}
#endif

#endif /* REMOTEPROC_LOADER_H_ */
