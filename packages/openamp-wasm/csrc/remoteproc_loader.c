/*
 * v8r OpenAMP: remoteproc_load, as OpenAMP's: open the image in the store,
 * read the headers (as far as the store allows without seeking back), copy
 * the resource table and parse it, load each segment into the remote's
 * memory, read the headers after the data, then write the parsed table over
 * the loaded one. Every size handed to the store is checked to fit its int
 * result, every target range to lie in the region that maps it.
 */
#include <limits.h>
#include <string.h>
#include <metal/alloc.h>
#include <metal/log.h>
#include <openamp/elf_loader.h>
#include "_remoteproc_loader.h"
#include "_rsc_table.h"

/* More calls than any image needs (4 header reads, 255 segments): a loader that never finishes is refused. */
#define MAX_STEPS 512u

struct load {
	struct remoteproc *rproc;
	void *store;
	const struct image_store_ops *ops;
	const struct loader_ops *loader;
	void *info;
	const void *img_data; /* the image bytes [offset, offset + len) the store gave last */
	size_t offset, len;
	int state;
	void *rsc;            /* the parsed copy of the resource table */
	size_t rsc_len;
	metal_phys_addr_t rsc_da;
	int rsc_later;        /* the section headers come after the data: find the table then */
};

const struct loader_ops *v8r_loader_for(const void *img_data, size_t len)
{
	return elf_identify(img_data, len) == 0 ? &elf_ops : NULL;
}

int v8r_io_holds(struct metal_io_region *io, metal_phys_addr_t pa, size_t span, unsigned long *at)
{
	*at = metal_io_phys_to_offset(io, pa);
	return *at != METAL_BAD_OFFSET && *at <= io->size && span <= io->size - *at;
}

int v8r_handle_local_rsc(struct remoteproc *rproc, void *table, size_t size)
{
	struct metal_io_region io;
	metal_phys_addr_t base = 0;
	metal_io_init(&io, table, &base, size, (unsigned int)-1, 0, NULL);
	return v8r_handle_rsc_table(rproc, &io, 0, size);
}

/* n bytes of the image from the store at off: to local memory (*data) or to pa through io. */
static int store_load(struct load *l, size_t off, size_t n, const void **data, metal_phys_addr_t pa,
		      struct metal_io_region *io)
{
	if (n > INT_MAX)
		return -RPROC_EINVAL;
	*data = NULL;
	int got = l->ops->load(l->store, off, n, data, pa, io, 1);
	if (got < 0 || (size_t)got < n || (pa == RPROC_LOAD_ANYADDR && !*data)) {
		metal_log(METAL_LOG_ERROR, "load: the store gave %d of the 0x%lx bytes at 0x%lx\n", got,
			  (unsigned long)n, (unsigned long)off);
		return -RPROC_EINVAL;
	}
	return 0;
}

static int load_headers(struct load *l)
{
	for (unsigned int step = 0; step < MAX_STEPS; step++) {
		size_t noffset = 0, nlen = 0;
		int ret = l->loader->load_header(l->img_data, l->offset, l->len, &l->info, l->state, &noffset, &nlen);
		if (ret < 0)
			return ret;
		l->state = ret;
		if (ret & RPROC_LOADER_READY_TO_LOAD) {
			if (nlen == 0)
				return 0;
			/* further on in the image and the store cannot come back: read the rest after the data */
			if (noffset >= l->offset && noffset - l->offset > l->len && !(l->ops->features & SUPPORT_SEEK))
				return 0;
		} else if (nlen == 0) {
			return -RPROC_EINVAL;
		}
		ret = store_load(l, noffset, nlen, &l->img_data, RPROC_LOAD_ANYADDR, NULL);
		if (ret)
			return ret;
		l->offset = noffset;
		l->len = nlen;
	}
	return -RPROC_EINVAL;
}

/*
 * Copy the resource table out of the image and parse it. Before the data, the
 * section headers may not be read yet (a store that cannot seek back): then
 * after the data; if they could not be read then either, the image has no
 * table, as OpenAMP's loader decides.
 */
static int fetch_rsc(struct load *l, int after_data)
{
	size_t off = 0, size = 0;
	metal_phys_addr_t da = METAL_BAD_PHYS;
	int ret = l->loader->locate_rsc_table(l->info, &da, &off, &size);
	if (ret == -RPROC_ERR_LOADER_STATE) {
		l->rsc_later = !after_data;
		if (after_data)
			metal_log(METAL_LOG_WARNING, "load: no section headers read: no resource table\n");
		return 0;
	}
	if (ret || size == 0)
		return ret;
	const void *data;
	ret = store_load(l, off, size, &data, RPROC_LOAD_ANYADDR, NULL);
	if (ret)
		return ret;
	l->rsc = metal_allocate_memory((unsigned int)size); /* size <= INT_MAX (store_load) */
	if (!l->rsc)
		return -RPROC_ENOMEM;
	memcpy(l->rsc, data, size);
	l->rsc_len = size;
	l->rsc_da = da;
	ret = v8r_handle_local_rsc(l->rproc, l->rsc, size);
	if (ret)
		metal_log(METAL_LOG_ERROR, "load: the resource table is invalid (%d)\n", ret);
	return ret;
}

/* One segment: its file bytes to da through the store, the rest of its memory size filled with padding. */
static int load_segment(struct load *l, metal_phys_addr_t da, size_t off, size_t nlen, size_t nmem,
			unsigned char padding)
{
	struct metal_io_region *io = NULL;
	metal_phys_addr_t pa = METAL_BAD_PHYS;
	unsigned long at;
	size_t span = nmem > nlen ? nmem : nlen;
	(void)remoteproc_mmap(l->rproc, &pa, &da, span, 0, &io);
	if (pa == METAL_BAD_PHYS || !io || !v8r_io_holds(io, pa, span, &at)) {
		metal_log(METAL_LOG_ERROR, "load: no memory of the remote holds 0x%lx bytes at 0x%lx\n",
			  (unsigned long)span, (unsigned long)da);
		return -RPROC_EINVAL;
	}
	const void *data;
	int ret = nlen ? store_load(l, off, nlen, &data, pa, io) : 0;
	if (!ret && span > nlen) {
		if (span - nlen > INT_MAX)
			return -RPROC_EINVAL;
		metal_io_block_set(io, at + nlen, padding, (int)(span - nlen));
	}
	return ret;
}

static int load_data(struct load *l)
{
	l->offset = 0;
	l->len = 0;
	for (unsigned int step = 0; step < MAX_STEPS; step++) {
		metal_phys_addr_t da = RPROC_LOAD_ANYADDR;
		size_t noffset = 0, nlen = 0, nmem = 0;
		unsigned char padding = 0;
		int ret = l->loader->load_data(l->rproc, l->img_data, l->offset, l->len, &l->info, l->state, &da,
					       &noffset, &nlen, &padding, &nmem);
		if (ret < 0)
			return ret;
		l->state = ret;
		if (da != RPROC_LOAD_ANYADDR) {
			ret = load_segment(l, da, noffset, nlen, nmem, padding);
		} else if (nlen) {
			ret = store_load(l, noffset, nlen, &l->img_data, RPROC_LOAD_ANYADDR, NULL);
			if (ret && (l->state & RPROC_LOADER_POST_DATA_LOAD)) {
				metal_log(METAL_LOG_WARNING, "load: the headers after the data could not be read\n");
				return 0;
			}
			l->offset = noffset;
			l->len = nlen;
		} else {
			return 0;
		}
		if (ret)
			return ret;
	}
	return -RPROC_EINVAL;
}

/* Write the parsed table over the loaded one and make it the remote's. */
static void install_rsc(struct load *l)
{
	struct metal_io_region *io = NULL;
	metal_phys_addr_t da = l->rsc_da;
	void *va = da == METAL_BAD_PHYS ? NULL : remoteproc_mmap(l->rproc, NULL, &da, l->rsc_len, 0, &io);
	unsigned long at = va && io ? metal_io_virt_to_offset(io, va) : METAL_BAD_OFFSET;
	if (at == METAL_BAD_OFFSET || at > io->size || l->rsc_len > io->size - at) {
		metal_log(METAL_LOG_WARNING, "load: the resource table's address is not in the remote's memory\n");
		return;
	}
	if (metal_io_block_write(io, at, l->rsc, (int)l->rsc_len) != (int)l->rsc_len)
		metal_log(METAL_LOG_WARNING, "load: the resource table could not be written back\n");
	l->rproc->rsc_table = va;
	l->rproc->rsc_len = l->rsc_len;
	l->rproc->rsc_io = io;
}

/* Open the image and pick its loader; 0 or an error (the store is then closed). */
static int open_image(struct load *l, const char *path)
{
	int ret = l->ops->open(l->store, path, &l->img_data);
	if (ret <= 0) {
		metal_log(METAL_LOG_ERROR, "load: the store could not open the image (%d)\n", ret);
		return -RPROC_EINVAL;
	}
	l->len = (size_t)ret;
	if (!l->loader && l->img_data)
		l->loader = v8r_loader_for(l->img_data, l->len);
	if (!l->loader || !l->img_data) {
		metal_log(METAL_LOG_ERROR, "load: the image is in no format a loader reads\n");
		l->ops->close(l->store);
		return -RPROC_EINVAL;
	}
	l->rproc->loader = l->loader;
	return 0;
}

static int run(struct load *l)
{
	int ret = load_headers(l);
	if (!ret)
		ret = fetch_rsc(l, 0);
	if (!ret)
		ret = load_data(l);
	if (!ret && l->rsc_later)
		ret = fetch_rsc(l, 1);
	if (ret)
		return ret;
	if (l->rsc)
		install_rsc(l);
	l->rproc->bootaddr = l->loader->get_entry(l->info);
	l->rproc->state = RPROC_READY;
	return 0;
}

int remoteproc_load(struct remoteproc *rproc, const char *path, void *store, const struct image_store_ops *store_ops,
		    void **img_info)
{
	if (!rproc)
		return -RPROC_ENODEV;
	if (!store_ops || !store_ops->open || !store_ops->close || !store_ops->load)
		return -RPROC_EINVAL;
	struct load l = { .rproc = rproc, .store = store, .ops = store_ops, .rsc_da = METAL_BAD_PHYS };
	metal_mutex_acquire(&rproc->lock);
	int ret = -RPROC_EINVAL;
	if (rproc->state != RPROC_READY && rproc->state != RPROC_CONFIGURED) {
		metal_log(METAL_LOG_ERROR, "load: the remote is in state %u, not ready\n", rproc->state);
		goto out;
	}
	l.loader = rproc->loader;
	ret = open_image(&l, path);
	if (ret)
		goto out;
	ret = run(&l);
	metal_free_memory(l.rsc);
	if (!ret && img_info)
		*img_info = l.info;
	else
		l.loader->release(l.info);
	store_ops->close(store);
out:
	metal_mutex_release(&rproc->lock);
	return ret;
}
