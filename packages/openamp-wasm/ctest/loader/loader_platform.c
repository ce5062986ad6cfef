/* The loader test's platform: the remote's memory over v8r_shm, a carveout on demand, an image store in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../csrc/v8r_shm_io.h"
#include "../check.h"
#include "../platform_native.h"
#include "loader_test.h"

struct seen seen;
struct remoteproc rproc;
unsigned char *target_mirror;
struct metal_io_region target_io;
static metal_phys_addr_t target_base = FW_MEM_DA;
static struct remoteproc_mem target_mem;
static unsigned char carveout[FW_CARVEOUT_LEN];
static metal_phys_addr_t carveout_base = FW_CARVEOUT_DA;
static struct metal_io_region carveout_io;
static struct remoteproc_mem carveout_mem;
static int carveout_added;

static struct remoteproc *op_init(struct remoteproc *r, const struct remoteproc_ops *ops, void *arg)
{
	r->ops = ops;
	r->priv = arg;
	return r;
}

/* Only the carveout maps on demand (as a platform allocates one); the first request adds it. */
static void *op_mmap(struct remoteproc *r, metal_phys_addr_t *pa, metal_phys_addr_t *da, size_t size,
		     unsigned int attribute, struct metal_io_region **io)
{
	metal_phys_addr_t a = *pa != METAL_BAD_PHYS ? *pa : *da;
	(void)attribute;
	if (a < FW_CARVEOUT_DA || a - FW_CARVEOUT_DA >= FW_CARVEOUT_LEN || size > FW_CARVEOUT_LEN - (a - FW_CARVEOUT_DA)) {
		seen.other_maps++;
		return NULL;
	}
	seen.carveout_maps++;
	if (!carveout_added) {
		remoteproc_init_mem(&carveout_mem, "carveout", FW_CARVEOUT_DA, FW_CARVEOUT_DA, FW_CARVEOUT_LEN,
				    &carveout_io);
		remoteproc_add_mem(r, &carveout_mem);
		carveout_added = 1;
	}
	*pa = *da = a;
	if (io)
		*io = &carveout_io;
	return metal_io_phys_to_virt(&carveout_io, a);
}

/* fw.c's vendor entry: type 130, 16 bytes, a magic word, then a word the platform marks. */
static int op_handle_rsc(struct remoteproc *r, void *rsc, size_t len)
{
	uint32_t w[4];
	(void)r;
	if (len != sizeof(w))
		return -RPROC_EINVAL;
	memcpy(w, rsc, sizeof(w));
	if (w[0] != 130 || w[1] != 16 || w[2] != 0x56385221u)
		return -RPROC_EINVAL;
	w[3] = 0xD0E;
	memcpy(rsc, w, sizeof(w));
	seen.vendor_entries++;
	return 0;
}

static const struct remoteproc_ops ops = { .init = op_init, .mmap = op_mmap, .handle_rsc = op_handle_rsc };

void fresh_remote(void)
{
	memset(native_shm, FILL, native_shm_size);
	memset(target_mirror, FILL, FW_MEM_SIZE);
	memset(carveout, 0, sizeof(carveout));
	memset(&seen, 0, sizeof(seen));
	carveout_added = 0;
	native_faults = 0;
	v8r_shm_io_init(&target_io, target_mirror, &target_base, FW_MEM_SIZE);
	metal_io_init(&carveout_io, carveout, &carveout_base, sizeof(carveout), (unsigned int)-1, 0, NULL);
	CHECK(remoteproc_init(&rproc, &ops, NULL) == &rproc);
	remoteproc_init_mem(&target_mem, "fw", FW_MEM_DA, FW_MEM_DA, FW_MEM_SIZE, &target_io);
	remoteproc_add_mem(&rproc, &target_mem);
	CHECK(remoteproc_config(&rproc, NULL) == 0);
}

void drop_remote(void)
{
	CHECK(remoteproc_shutdown(&rproc) == 0);
	CHECK(remoteproc_remove(&rproc) == 0);
	CHECK(native_faults == 0); /* nothing reached outside the remote's memory */
}

static int store_open(void *store, const char *path, const void **img_data)
{
	struct image *img = store;
	(void)path;
	img->opens++;
	*img_data = img->bytes;
	return img->size > 64 ? 64 : (int)img->size; /* the first bytes only: the loader asks for the rest */
}

static void store_close(void *store)
{
	((struct image *)store)->closes++;
}

/* Bytes to local memory (a pointer into the image) or through io to pa; -1 outside the image. */
static int store_load(void *store, size_t offset, size_t size, const void **data, metal_phys_addr_t pa,
		      struct metal_io_region *io, char is_blocking)
{
	struct image *img = store;
	(void)is_blocking;
	if (offset > img->size || size > img->size - offset || size > 0x7fffffff)
		return -1;
	if (pa == RPROC_LOAD_ANYADDR) {
		*data = img->bytes + offset;
		return (int)size;
	}
	unsigned long at = metal_io_phys_to_offset(io, pa);
	CHECK(at != METAL_BAD_OFFSET && at <= io->size && size <= io->size - at); /* the loader checked it */
	return metal_io_block_write(io, at, img->bytes + offset, (int)size);
}

const struct image_store_ops seek_store = { store_open, store_close, store_load, SUPPORT_SEEK };
const struct image_store_ops stream_store = { store_open, store_close, store_load, 0 };

/* Give noblock what it asks for: bytes to pass back, or bytes to write at *pa and pad. */
int load_noblock(struct image *img, void **img_info)
{
	const void *data = img->bytes;
	size_t offset = 0, len = img->size < 64 ? img->size : 64;
	for (unsigned int step = 0; step < 1000; step++) {
		metal_phys_addr_t pa;
		struct metal_io_region *io;
		size_t noffset = 0, nlen = 0, nmlen = 0;
		unsigned char padding = 0xFF;
		int ret = remoteproc_load_noblock(&rproc, data, offset, len, img_info, &pa, &io, &noffset, &nlen,
						  &nmlen, &padding);
		if (ret)
			return ret;
		int state = *img_info ? rproc.loader->get_load_state(*img_info) : 0;
		if (state >= 0 && (state & RPROC_LOADER_LOAD_COMPLETE))
			return 0;
		if (noffset > img->size || nlen > img->size - noffset)
			return -RPROC_EINVAL; /* asks for bytes the image does not have */
		if (pa == RPROC_LOAD_ANYADDR) {
			data = img->bytes + noffset;
			offset = noffset;
			len = nlen;
			continue;
		}
		unsigned long at = metal_io_phys_to_offset(io, pa);
		size_t span = nmlen > nlen ? nmlen : nlen;
		CHECK(at != METAL_BAD_OFFSET && at <= io->size && span <= io->size - at);
		CHECK(metal_io_block_write(io, at, img->bytes + noffset, (int)nlen) == (int)nlen);
		metal_io_block_set(io, at + nlen, padding, (int)(span - nlen));
		data = NULL;
		offset = len = 0;
	}
	return -RPROC_EINVAL;
}

struct image read_image(const char *path)
{
	struct image img = { 0 };
	FILE *f = fopen(path, "rb");
	CHECK(f);
	CHECK(fseek(f, 0, SEEK_END) == 0);
	long n = ftell(f);
	CHECK(n > 0 && n < (1L << 24));
	img.size = (size_t)n;
	img.bytes = malloc(img.size);
	CHECK(img.bytes);
	rewind(f);
	CHECK(fread(img.bytes, 1, img.size, f) == img.size);
	fclose(f);
	return img;
}
