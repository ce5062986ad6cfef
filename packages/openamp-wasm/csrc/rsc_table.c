/* v8r OpenAMP: resource-table parsing, every field read through the table's I/O region. */
#include <stddef.h>
#include <metal/log.h>
#include <metal/utilities.h>
#include <openamp/remoteproc.h>
#include "_mirror.h"
#include "_rsc_table.h"

#define HDR_SIZE 16u

/* Region offset of entry i, or 0 when its offset or its type word lies outside the table. */
static unsigned long entry_at(struct metal_io_region *io, unsigned long table_off, size_t size, uint32_t i)
{
	uint32_t e = metal_io_read32(io, table_off + HDR_SIZE + 4u * i);
	if (e < HDR_SIZE || e > size || size - e < 4u)
		return 0;
	return table_off + e;
}

size_t v8r_find_rsc(struct metal_io_region *io, unsigned long table_off, size_t size, uint32_t rsc_type,
		    unsigned int index)
{
	if (size < HDR_SIZE)
		return 0;
	uint32_t num = metal_io_read32(io, table_off + 4u);
	if (num > (size - HDR_SIZE) / 4u)
		return 0;
	for (uint32_t i = 0; i < num; i++) {
		unsigned long e = entry_at(io, table_off, size, i);
		if (e && metal_io_read32(io, e) == rsc_type && index-- == 0)
			return e - table_off;
	}
	return 0;
}

static int handle_carveout(struct remoteproc *rproc, struct metal_io_region *io, unsigned long e, size_t room)
{
	if (room < sizeof(struct fw_rsc_carveout))
		return -RPROC_ERR_RSC_TAB_TRUNC;
	metal_phys_addr_t da = metal_io_read32(io, e + offsetof(struct fw_rsc_carveout, da));
	metal_phys_addr_t pa = metal_io_read32(io, e + offsetof(struct fw_rsc_carveout, pa));
	uint32_t len = metal_io_read32(io, e + offsetof(struct fw_rsc_carveout, len));
	uint32_t flags = metal_io_read32(io, e + offsetof(struct fw_rsc_carveout, flags));
	return remoteproc_mmap(rproc, &pa, &da, len, flags, NULL) ? 0 : -RPROC_EINVAL;
}

/* Take notify id `at` (the field at region offset `at`): a free id, allocated when the table says ANY. */
static int take_notify_id(struct remoteproc *rproc, struct metal_io_region *io, unsigned long at)
{
	uint32_t id = metal_io_read32(io, at);
	unsigned int got = remoteproc_allocate_id(rproc, id, id == RSC_NOTIFY_ID_ANY ? RSC_NOTIFY_ID_ANY : id + 1u);
	if (got == RSC_NOTIFY_ID_ANY)
		return -RPROC_ERR_RSC_TAB_NP;
	if (got != id)
		metal_io_write32(io, at, got);
	return 0;
}

static int handle_vdev(struct remoteproc *rproc, struct metal_io_region *io, unsigned long e, size_t room)
{
	if (room < sizeof(struct fw_rsc_vdev))
		return -RPROC_ERR_RSC_TAB_TRUNC;
	unsigned int n = metal_io_read8(io, e + offsetof(struct fw_rsc_vdev, num_of_vrings));
	uint32_t config_len = metal_io_read32(io, e + offsetof(struct fw_rsc_vdev, config_len));
	size_t need = sizeof(struct fw_rsc_vdev) + n * sizeof(struct fw_rsc_vdev_vring);
	if (room < need || room - need < config_len)
		return -RPROC_ERR_RSC_TAB_TRUNC;
	int ret = take_notify_id(rproc, io, e + offsetof(struct fw_rsc_vdev, notifyid));
	unsigned int i = 0;
	for (; !ret && i < n; i++)
		ret = take_notify_id(rproc, io, e + sizeof(struct fw_rsc_vdev) + i * sizeof(struct fw_rsc_vdev_vring) +
							offsetof(struct fw_rsc_vdev_vring, notifyid));
	if (!ret)
		return 0;
	/* give back the ids taken before the failure */
	for (unsigned int k = 0; k + 1u < i; k++)
		metal_bitmap_clear_bit(&rproc->bitmap, (int)metal_io_read32(io, e + sizeof(struct fw_rsc_vdev) +
				      k * sizeof(struct fw_rsc_vdev_vring) + offsetof(struct fw_rsc_vdev_vring, notifyid)));
	if (i > 0)
		metal_bitmap_clear_bit(&rproc->bitmap, (int)metal_io_read32(io, e + offsetof(struct fw_rsc_vdev, notifyid)));
	return ret;
}

/* A vendor entry goes to the platform's handler, with the entry's bytes in the mirror (and written back). */
static int handle_vendor(struct remoteproc *rproc, struct metal_io_region *io, unsigned long e, size_t room)
{
	if (!rproc->ops->handle_rsc)
		return 0; /* not supported here: ignored, as upstream */
	if (room < sizeof(struct fw_rsc_vendor))
		return -RPROC_ERR_RSC_TAB_TRUNC;
	uint32_t len = metal_io_read32(io, e + offsetof(struct fw_rsc_vendor, len));
	if (len > room)
		return -RPROC_ERR_RSC_TAB_TRUNC;
	v8r_mirror_in(io, e, len);
	int ret = rproc->ops->handle_rsc(rproc, metal_io_virt(io, e), len);
	v8r_mirror_out(io, e, len);
	return ret == -RPROC_ERR_RSC_TAB_NS ? 0 : ret;
}

static int handle_entry(struct remoteproc *rproc, struct metal_io_region *io, unsigned long e, size_t room)
{
	uint32_t type = metal_io_read32(io, e);
	switch (type) {
	case RSC_CARVEOUT:
		return handle_carveout(rproc, io, e, room);
	case RSC_VDEV:
		return handle_vdev(rproc, io, e, room);
	case RSC_DEVMEM:
	case RSC_TRACE:
		return 0;
	default:
		if (type >= RSC_VENDOR_START && type <= RSC_VENDOR_END)
			return handle_vendor(rproc, io, e, room);
		metal_log(METAL_LOG_WARNING, "resource table: entry of unknown type %u ignored\n", (unsigned int)type);
		return 0;
	}
}

int v8r_handle_rsc_table(struct remoteproc *rproc, struct metal_io_region *io, unsigned long table_off, size_t size)
{
	if (!io || table_off == METAL_BAD_OFFSET || size < HDR_SIZE || size > io->size - table_off)
		return -RPROC_ERR_RSC_TAB_TRUNC;
	if (metal_io_read32(io, table_off) != 1u)
		return -RPROC_ERR_RSC_TAB_VER;
	if (metal_io_read32(io, table_off + 8u) || metal_io_read32(io, table_off + 12u))
		return -RPROC_ERR_RSC_TAB_RSVD;
	uint32_t num = metal_io_read32(io, table_off + 4u);
	if (num > (size - HDR_SIZE) / 4u)
		return -RPROC_ERR_RSC_TAB_TRUNC;
	for (uint32_t i = 0; i < num; i++) {
		unsigned long e = entry_at(io, table_off, size, i);
		if (!e)
			return -RPROC_ERR_RSC_TAB_TRUNC;
		int ret = handle_entry(rproc, io, e, size - (e - table_off));
		if (ret)
			return ret;
	}
	return 0;
}
