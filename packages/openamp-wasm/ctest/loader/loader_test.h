/* The loader test (remoteproc_load / remoteproc_load_noblock on real ELF images): what its files share. */
#ifndef V8R_LOADER_TEST_H
#define V8R_LOADER_TEST_H

#include <stddef.h>
#include <openamp/elf_loader.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_loader.h>

/* fw.ld's layout: one memory of the remote holds code, data and the resource table. */
#define FW_MEM_DA 0x00100000ul
#define FW_MEM_SIZE 0x10000ul
#define FW_ENTRY 0x00100000ul
#define FW_MAGIC_DA 0x00101000ul
#define FW_DATA_DA 0x00108000ul
#define FW_RSC_DA 0x0010C000ul
#define FW_RSC_LEN 0xB0ul
#define FW_CARVEOUT_DA 0x00300000ul
#define FW_CARVEOUT_LEN 0x4000ul
/* What the untouched memory is filled with before a load. */
#define FILL 0xAA

/** An image in memory, given by the store ops below. */
struct image {
	unsigned char *bytes;
	size_t size;
	unsigned int opens, closes;
};

/** What the platform saw during a load. */
struct seen {
	unsigned int carveout_maps, vendor_entries, other_maps;
};

extern struct seen seen;
extern struct remoteproc rproc;
extern unsigned char *target_mirror; /* the remote memory's mirror (its virtual addresses) */
extern struct metal_io_region target_io;

/** Store ops over a struct image: with SUPPORT_SEEK, or without (the loader must read in order first). */
extern const struct image_store_ops seek_store, stream_store;

/** A fresh remote (memory filled with FILL, nothing mapped but its memory), ready to load. */
void fresh_remote(void);
/** Tear the remote down (its virtio device if any is the caller's). */
void drop_remote(void);
/** Load img with remoteproc_load_noblock, giving it what it asks for; its result. */
int load_noblock(struct image *img, void **img_info);
/** Read a whole file; exits on failure. */
struct image read_image(const char *path);

/** The corrupt-image cases and the mutation loop (loader_corrupt.c). */
void test_corrupt(const struct image *good, const char *name);
void test_mutations(const struct image *good, const char *name, unsigned int rounds);

#endif
