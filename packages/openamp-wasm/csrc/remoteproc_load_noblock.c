/*
 * v8r OpenAMP: remoteproc_load_noblock, OpenAMP's step-by-step load: the
 * caller holds the image and gives it piece by piece; each call advances the
 * loader's state (headers, one segment, the headers after the data) and says
 * what it needs next. At LOAD_COMPLETE the resource table is read back from
 * the remote's memory, parsed and written back.
 */
#include <limits.h>
#include <metal/alloc.h>
#include <metal/log.h>
#include "_remoteproc_loader.h"

/* Where the caller wants to hear what to give next. */
struct wants {
	metal_phys_addr_t *pa;
	struct metal_io_region **io;
	size_t *noffset, *nlen, *nmlen;
	unsigned char *padding;
};

/* Read the loaded resource table back, parse it and write it back; make it the remote's. */
static int take_rsc(struct remoteproc *rproc, const struct loader_ops *loader, void *info)
{
	metal_phys_addr_t da = METAL_BAD_PHYS;
	size_t off = 0, size = 0;
	int ret = loader->locate_rsc_table(info, &da, &off, &size);
	if (ret || size == 0)
		return ret;
	struct metal_io_region *io = NULL;
	void *va = size <= INT_MAX ? remoteproc_mmap(rproc, NULL, &da, size, 0, &io) : NULL;
	unsigned long at = va && io ? metal_io_virt_to_offset(io, va) : METAL_BAD_OFFSET;
	if (at == METAL_BAD_OFFSET || at > io->size || size > io->size - at) {
		metal_log(METAL_LOG_ERROR, "load: the resource table's address is not in the remote's memory\n");
		return -RPROC_EINVAL;
	}
	void *copy = metal_allocate_memory((unsigned int)size);
	if (!copy)
		return -RPROC_ENOMEM;
	ret = metal_io_block_read(io, at, copy, (int)size) == (int)size ? 0 : -RPROC_EINVAL;
	if (!ret)
		ret = v8r_handle_local_rsc(rproc, copy, size);
	if (!ret && metal_io_block_write(io, at, copy, (int)size) != (int)size)
		metal_log(METAL_LOG_WARNING, "load: the resource table could not be written back\n");
	metal_free_memory(copy);
	if (ret)
		return ret;
	rproc->rsc_table = va;
	rproc->rsc_len = size;
	rproc->rsc_io = io;
	return 0;
}

/* The data step: the next segment's place in the remote's memory, or headers to read after the data. */
static int data_step(struct remoteproc *rproc, const struct loader_ops *loader, const void *img_data,
		     size_t offset, size_t len, void **info, int state, const struct wants *w)
{
	metal_phys_addr_t da = RPROC_LOAD_ANYADDR;
	int ret = loader->load_data(rproc, img_data, offset, len, info, state, &da, w->noffset, w->nlen, w->padding,
				    w->nmlen);
	if (ret < 0 || da == RPROC_LOAD_ANYADDR)
		return ret < 0 ? ret : 0;
	size_t span = *w->nmlen > *w->nlen ? *w->nmlen : *w->nlen;
	metal_phys_addr_t pa = METAL_BAD_PHYS;
	unsigned long at;
	(void)remoteproc_mmap(rproc, &pa, &da, span, 0, w->io);
	if (pa == METAL_BAD_PHYS || !*w->io || !v8r_io_holds(*w->io, pa, span, &at)) {
		metal_log(METAL_LOG_ERROR, "load: no memory of the remote holds 0x%lx bytes at 0x%lx\n",
			  (unsigned long)span, (unsigned long)da);
		*w->io = NULL;
		return -RPROC_EINVAL;
	}
	*w->pa = pa;
	return 0;
}

/* One call's work from load state `last`; 0 or an error. */
static int advance(struct remoteproc *rproc, const struct loader_ops *loader, const void *img_data,
		   size_t offset, size_t len, void **info, int last, const struct wants *w)
{
	int was_complete = last & RPROC_LOADER_LOAD_COMPLETE;
	if (!(last & (RPROC_LOADER_READY_TO_LOAD | RPROC_LOADER_LOAD_COMPLETE))) {
		int ret = loader->load_header(img_data, offset, len, info, last, w->noffset, w->nlen);
		if (ret < 0)
			return ret;
		last = *info ? loader->get_load_state(*info) : ret;
		if (last < 0 || (*w->nlen != 0 && !(last & RPROC_LOADER_READY_TO_LOAD)))
			return last < 0 ? last : 0;
	}
	if (last & (RPROC_LOADER_READY_TO_LOAD | RPROC_LOADER_POST_DATA_LOAD)) {
		int ret = data_step(rproc, loader, img_data, offset, len, info, last, w);
		if (ret || *w->nlen != 0 || *w->pa != RPROC_LOAD_ANYADDR)
			return ret;
		last = loader->get_load_state(*info);
	}
	if (!(last & RPROC_LOADER_LOAD_COMPLETE) || was_complete)
		return last < 0 ? last : 0;
	int ret = take_rsc(rproc, loader, *info);
	if (!ret)
		rproc->bootaddr = loader->get_entry(*info);
	return ret;
}

/* The loader for this image (picked from its first bytes on the first call). */
static const struct loader_ops *loader_of(struct remoteproc *rproc, const void *img_data, size_t offset, size_t len)
{
	if (!rproc->loader && img_data && offset == 0 && len > 0)
		rproc->loader = v8r_loader_for(img_data, len);
	return rproc->loader;
}

int remoteproc_load_noblock(struct remoteproc *rproc, const void *img_data, size_t offset, size_t len,
			    void **img_info, metal_phys_addr_t *pa, struct metal_io_region **io, size_t *noffset,
			    size_t *nlen, size_t *nmlen, unsigned char *padding)
{
	if (!rproc)
		return -RPROC_ENODEV;
	if (!pa || !io || !noffset || !nlen || !nmlen || !padding)
		return -RPROC_EINVAL;
	*pa = RPROC_LOAD_ANYADDR;
	*io = NULL;
	*nlen = 0;
	*nmlen = 0;
	const struct wants w = { pa, io, noffset, nlen, nmlen, padding };
	metal_mutex_acquire(&rproc->lock);
	const struct loader_ops *loader = rproc->state == RPROC_READY ? loader_of(rproc, img_data, offset, len) : NULL;
	void *info = img_info ? *img_info : NULL;
	int ret = -RPROC_EINVAL;
	if (loader) {
		int last = info ? loader->get_load_state(info) : RPROC_LOADER_NOT_READY;
		ret = last < 0 ? -RPROC_EINVAL : advance(rproc, loader, img_data, offset, len, &info, last, &w);
		if (!ret && img_info) {
			*img_info = info;
		} else {
			loader->release(info);
			if (img_info)
				*img_info = NULL;
		}
	} else {
		metal_log(METAL_LOG_ERROR, "load: the remote is not ready or the image is in no known format\n");
	}
	metal_mutex_release(&rproc->lock);
	return ret;
}
