/*
 * Loading a remote's firmware with OpenAMP's remoteproc_load: the platform
 * gives the remote's memories (here one 64 KiB RAM at 0x00100000, and a
 * carveout its resource table asks for at 0x00300000, mapped on demand) and
 * an image store (here a file, read with stdio); OpenAMP's ELF loader does the
 * rest. Plain upstream-style platform code: it builds natively and with
 * v8r-cc unchanged.
 *   load-firmware IMAGE   (e.g. ctest/loader/fw/fw-arm.elf)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <metal/io.h>
#include <metal/sys.h>
#include <openamp/elf_loader.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_loader.h>

#define RAM_DA 0x00100000ul
#define RAM_SIZE 0x10000ul
#define CARVEOUT_DA 0x00300000ul
#define CARVEOUT_SIZE 0x4000ul

static unsigned char ram[RAM_SIZE], carveout[CARVEOUT_SIZE];
static metal_phys_addr_t ram_pa = RAM_DA, carveout_pa = CARVEOUT_DA;
static struct metal_io_region ram_io, carveout_io;
static struct remoteproc_mem ram_mem, carveout_mem;

/* --- the image store: a file; local reads go to a buffer the loader reads from --- */
struct file_store {
	FILE *f;
	unsigned char *buf;
	size_t cap;
};

static int read_at(struct file_store *s, size_t offset, size_t size)
{
	if (size > s->cap) {
		unsigned char *b = realloc(s->buf, size);
		if (!b)
			return -1;
		s->buf = b;
		s->cap = size;
	}
	if (fseek(s->f, (long)offset, SEEK_SET) != 0)
		return -1;
	return (int)fread(s->buf, 1, size, s->f);
}

static int store_open(void *store, const char *path, const void **img_data)
{
	struct file_store *s = store;
	s->f = fopen(path, "rb");
	if (!s->f)
		return -1;
	int got = read_at(s, 0, 64);
	*img_data = s->buf;
	return got;
}

static void store_close(void *store)
{
	struct file_store *s = store;
	fclose(s->f);
	free(s->buf);
	s->buf = NULL;
	s->cap = 0;
}

static int store_load(void *store, size_t offset, size_t size, const void **data, metal_phys_addr_t pa,
		      struct metal_io_region *io, char is_blocking)
{
	struct file_store *s = store;
	(void)is_blocking;
	int got = read_at(s, offset, size);
	if (got <= 0)
		return got;
	if (pa == RPROC_LOAD_ANYADDR) {
		*data = s->buf;
		return got;
	}
	return metal_io_block_write(io, metal_io_phys_to_offset(io, pa), s->buf, got);
}

static const struct image_store_ops file_store_ops = { store_open, store_close, store_load, SUPPORT_SEEK };

/* --- the remote processor: its memories, the carveout on demand, vendor resources --- */
static struct remoteproc *op_init(struct remoteproc *rproc, const struct remoteproc_ops *ops, void *arg)
{
	rproc->ops = ops;
	rproc->priv = arg;
	metal_io_init(&ram_io, ram, &ram_pa, RAM_SIZE, (unsigned int)-1, 0, NULL);
	remoteproc_init_mem(&ram_mem, "ram", RAM_DA, RAM_DA, RAM_SIZE, &ram_io);
	remoteproc_add_mem(rproc, &ram_mem);
	return rproc;
}

static void *op_mmap(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da, size_t size,
		     unsigned int attribute, struct metal_io_region **io)
{
	metal_phys_addr_t a = *pa != METAL_BAD_PHYS ? *pa : *da;
	(void)attribute;
	if (a < CARVEOUT_DA || a - CARVEOUT_DA >= CARVEOUT_SIZE || size > CARVEOUT_SIZE - (a - CARVEOUT_DA))
		return NULL;
	metal_io_init(&carveout_io, carveout, &carveout_pa, CARVEOUT_SIZE, (unsigned int)-1, 0, NULL);
	remoteproc_init_mem(&carveout_mem, "carveout", CARVEOUT_DA, CARVEOUT_DA, CARVEOUT_SIZE, &carveout_io);
	remoteproc_add_mem(rproc, &carveout_mem);
	printf("carveout mapped: 0x%lx bytes at 0x%lx\n", (unsigned long)size, (unsigned long)a);
	*pa = *da = a;
	if (io)
		*io = &carveout_io;
	return metal_io_phys_to_virt(&carveout_io, a);
}

static int op_handle_rsc(struct remoteproc *rproc, void *rsc, size_t len)
{
	struct fw_rsc_vendor v;
	(void)rproc;
	memcpy(&v, rsc, sizeof(v));
	printf("vendor resource %u, %lu bytes\n", (unsigned int)v.type, (unsigned long)len);
	return 0;
}

static const struct remoteproc_ops ops = { .init = op_init, .mmap = op_mmap, .handle_rsc = op_handle_rsc };

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct remoteproc rproc;
	struct file_store store = { 0 };
	if (argc != 2) {
		fprintf(stderr, "usage: load-firmware IMAGE\n");
		return 2;
	}
	if (metal_init(&params) || !remoteproc_init(&rproc, &ops, NULL) || remoteproc_config(&rproc, NULL) != 0)
		return 1;
	int ret = remoteproc_load(&rproc, argv[1], &store, &file_store_ops, NULL);
	if (ret) {
		fprintf(stderr, "load-firmware: %s: remoteproc_load failed (%d)\n", argv[1], ret);
		metal_finish();
		return 1;
	}
	struct resource_table table;
	memcpy(&table, rproc.rsc_table, sizeof(table));
	printf("entry 0x%lx, resource table at 0x%lx: version %u, %u entries, %lu bytes\n",
	       (unsigned long)rproc.bootaddr, (unsigned long)RAM_DA + metal_io_virt_to_offset(rproc.rsc_io, rproc.rsc_table),
	       (unsigned int)table.ver, (unsigned int)table.num, (unsigned long)rproc.rsc_len);
	printf("first words at 0x101000: %08x %08x\n", (unsigned int)metal_io_read32(&ram_io, 0x1000),
	       (unsigned int)metal_io_read32(&ram_io, 0x1004));
	remoteproc_shutdown(&rproc);
	remoteproc_remove(&rproc);
	metal_finish();
	return 0;
}
