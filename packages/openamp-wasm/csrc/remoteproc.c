/*
 * v8r OpenAMP: the remoteproc framework: a remote processor's memories, its
 * resource table, its life cycle (offline, ready, running, stopped) and the
 * virtio devices its table declares.
 */
#include <string.h>
#include <metal/alloc.h>
#include <metal/log.h>
#include <metal/utilities.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include "_rsc_table.h"

/* A memory matching (in this order of precedence) name, pa or da ranges, or va; then ops->get_mem. */
static struct remoteproc_mem *find_mem(struct remoteproc *rproc, const char *name, metal_phys_addr_t pa,
				       metal_phys_addr_t da, void *va, size_t size, struct remoteproc_mem *buf)
{
	struct metal_list *node;
	if (name && strlen(name) > RPROC_MAX_NAME_LEN)
		return NULL;
	metal_list_for_each(&rproc->mems, node) {
		struct remoteproc_mem *mem = metal_container_of(node, struct remoteproc_mem, node);
		if (name) {
			if (!strncmp(name, mem->name, RPROC_MAX_NAME_LEN))
				return mem;
		} else if (pa != METAL_BAD_PHYS) {
			if (pa >= mem->pa && pa - mem->pa < mem->size && size <= mem->size - (pa - mem->pa))
				return mem;
		} else if (da != METAL_BAD_PHYS) {
			if (da >= mem->da && da - mem->da < mem->size && size <= mem->size - (da - mem->da))
				return mem;
		} else if (va) {
			if (metal_io_virt_to_offset(mem->io, va) != METAL_BAD_OFFSET)
				return mem;
		} else {
			return NULL;
		}
	}
	return rproc->ops->get_mem ? rproc->ops->get_mem(rproc, name, pa, da, va, size, buf) : NULL;
}

struct remoteproc *remoteproc_init(struct remoteproc *rproc, const struct remoteproc_ops *ops, void *priv)
{
	if (!rproc || !ops || !ops->init)
		return NULL;
	memset(rproc, 0, sizeof(*rproc));
	rproc->state = RPROC_OFFLINE;
	metal_mutex_init(&rproc->lock);
	metal_list_init(&rproc->mems);
	metal_list_init(&rproc->vdevs);
	return ops->init(rproc, ops, priv);
}

int remoteproc_remove(struct remoteproc *rproc)
{
	if (!rproc)
		return -RPROC_EINVAL;
	int ret = 0;
	metal_mutex_acquire(&rproc->lock);
	if (rproc->state != RPROC_OFFLINE)
		ret = -RPROC_EAGAIN;
	else if (rproc->ops->remove)
		rproc->ops->remove(rproc);
	metal_mutex_release(&rproc->lock);
	return ret;
}

int remoteproc_config(struct remoteproc *rproc, void *data)
{
	if (!rproc)
		return -RPROC_ENODEV;
	int ret = -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	if (rproc->state == RPROC_OFFLINE) {
		ret = rproc->ops->config ? rproc->ops->config(rproc, data) : 0;
		rproc->state = RPROC_READY;
	}
	metal_mutex_release(&rproc->lock);
	return ret;
}

int remoteproc_start(struct remoteproc *rproc)
{
	if (!rproc)
		return -RPROC_ENODEV;
	int ret = -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	if (rproc->state == RPROC_READY) {
		ret = rproc->ops->start ? rproc->ops->start(rproc) : 0;
		rproc->state = RPROC_RUNNING;
	}
	metal_mutex_release(&rproc->lock);
	return ret;
}

int remoteproc_stop(struct remoteproc *rproc)
{
	if (!rproc)
		return -RPROC_ENODEV;
	int ret = 0;
	metal_mutex_acquire(&rproc->lock);
	if (rproc->state != RPROC_STOPPED && rproc->state != RPROC_OFFLINE) {
		ret = rproc->ops->stop ? rproc->ops->stop(rproc) : -RPROC_ENODEV;
		rproc->state = RPROC_STOPPED;
	}
	metal_mutex_release(&rproc->lock);
	return ret;
}

int remoteproc_shutdown(struct remoteproc *rproc)
{
	if (!rproc)
		return -RPROC_ENODEV;
	int ret = 0;
	metal_mutex_acquire(&rproc->lock);
	if (rproc->state != RPROC_OFFLINE) {
		if (rproc->state != RPROC_STOPPED && rproc->ops->stop)
			ret = rproc->ops->stop(rproc);
		if (!ret && rproc->ops->shutdown)
			ret = rproc->ops->shutdown(rproc);
		if (!ret)
			rproc->state = RPROC_OFFLINE;
	}
	metal_mutex_release(&rproc->lock);
	return ret;
}

struct metal_io_region *remoteproc_get_io_with_name(struct remoteproc *rproc, const char *name)
{
	struct remoteproc_mem buf;
	struct remoteproc_mem *mem = rproc ? find_mem(rproc, name, METAL_BAD_PHYS, METAL_BAD_PHYS, NULL, 0, &buf) : NULL;
	return mem ? mem->io : NULL;
}

struct metal_io_region *remoteproc_get_io_with_pa(struct remoteproc *rproc, metal_phys_addr_t pa)
{
	struct remoteproc_mem buf;
	struct remoteproc_mem *mem = rproc ? find_mem(rproc, NULL, pa, METAL_BAD_PHYS, NULL, 0, &buf) : NULL;
	return mem ? mem->io : NULL;
}

struct metal_io_region *remoteproc_get_io_with_da(struct remoteproc *rproc, metal_phys_addr_t da,
						  unsigned long *offset)
{
	struct remoteproc_mem buf;
	if (!rproc || !offset)
		return NULL;
	struct remoteproc_mem *mem = find_mem(rproc, NULL, METAL_BAD_PHYS, da, NULL, 0, &buf);
	if (!mem)
		return NULL;
	*offset = metal_io_phys_to_offset(mem->io, mem->pa + (da - mem->da));
	return mem->io;
}

struct metal_io_region *remoteproc_get_io_with_va(struct remoteproc *rproc, void *va)
{
	struct remoteproc_mem buf;
	struct remoteproc_mem *mem = rproc ? find_mem(rproc, NULL, METAL_BAD_PHYS, METAL_BAD_PHYS, va, 0, &buf) : NULL;
	return mem ? mem->io : NULL;
}

void *remoteproc_mmap(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da, size_t size,
		      unsigned int attribute, struct metal_io_region **io)
{
	if (!rproc || size == 0 || (!pa && !da))
		return NULL;
	metal_phys_addr_t lpa = pa ? *pa : METAL_BAD_PHYS;
	metal_phys_addr_t lda = da ? *da : METAL_BAD_PHYS;
	struct remoteproc_mem buf;
	void *va = NULL;
	struct remoteproc_mem *mem = find_mem(rproc, NULL, lpa, lda, NULL, size, &buf);
	if (mem) {
		if (lpa != METAL_BAD_PHYS)
			lda = mem->da + (lpa - mem->pa);
		else
			lpa = mem->pa + (lda - mem->da);
		if (io)
			*io = mem->io;
		va = metal_io_phys_to_virt(mem->io, lpa);
	} else if (rproc->ops->mmap) {
		va = rproc->ops->mmap(rproc, &lpa, &lda, size, attribute, io);
	}
	if (pa)
		*pa = lpa;
	if (da)
		*da = lda;
	return va;
}

int remoteproc_set_rsc_table(struct remoteproc *rproc, struct resource_table *rsc_table, size_t rsc_size)
{
	if (!rproc || !rsc_table || rsc_size == 0)
		return -RPROC_EINVAL;
	struct metal_io_region *io = remoteproc_get_io_with_va(rproc, rsc_table);
	if (!io)
		return -RPROC_EINVAL;
	int ret = v8r_handle_rsc_table(rproc, io, metal_io_virt_to_offset(io, rsc_table), rsc_size);
	if (!ret) {
		rproc->rsc_table = rsc_table;
		rproc->rsc_len = rsc_size;
		rproc->rsc_io = io;
	}
	return ret;
}

unsigned int remoteproc_allocate_id(struct remoteproc *rproc, unsigned int start, unsigned int end)
{
	if (start == RSC_NOTIFY_ID_ANY)
		start = 0;
	if (end == RSC_NOTIFY_ID_ANY)
		end = METAL_BITS_PER_ULONG;
	if (!rproc || start >= METAL_BITS_PER_ULONG || end > METAL_BITS_PER_ULONG)
		return RSC_NOTIFY_ID_ANY;
	unsigned int id = metal_bitmap_next_clear_bit(&rproc->bitmap, start, end);
	if (id == end)
		return RSC_NOTIFY_ID_ANY;
	metal_bitmap_set_bit(&rproc->bitmap, (int)id);
	return id;
}
