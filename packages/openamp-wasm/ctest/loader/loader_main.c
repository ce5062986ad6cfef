/*
 * The loader test: real ELF32 (Arm) and ELF64 (AArch64) images built by clang
 * and lld from fw/fw.c (fw/build.sh) loaded with remoteproc_load (a store that
 * seeks, and one that reads in order) and remoteproc_load_noblock; then
 * corrupt images refused and mutated images loaded or refused, never reaching
 * outside the image or the remote's memory (under ASan and UBSan).
 *   loader-test IMAGE...   (each an fw.c build)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/virtio.h>
#include "../check.h"
#include "../platform_native.h"
#include "loader_test.h"

/* fw.c's table: offsets of the vdev's notify ids and of the vendor entry's marked word. */
#define VDEV_AT 84u
#define VDEV_NOTIFYID (VDEV_AT + 8u)
#define VRING_NOTIFYID(i) (VDEV_AT + 28u + 20u * (i) + 12u)
#define VENDOR_HANDLED 0xACu

static uint32_t word_at(unsigned long da)
{
	return metal_io_read32(&target_io, da - FW_MEM_DA);
}

/* Every segment at its address, the zeroed part zeroed, nothing else written. */
static void check_segments(void)
{
	static const uint32_t magic[4] = { 0xC0DEF00Du, 0x12345678u, 0x9ABCDEF0u, 0x0BADCAFEu };
	for (unsigned int i = 0; i < 4; i++) {
		CHECK(word_at(FW_MAGIC_DA + 4u * i) == magic[i]);
		CHECK(word_at(FW_DATA_DA + 4u * i) == 0x11111111u * (i + 1u));
	}
	for (unsigned long a = FW_DATA_DA + 16u; a < FW_DATA_DA + 16u + 256u; a += 4)
		CHECK(word_at(a) == 0); /* .bss: memsz past filesz */
	CHECK(metal_io_read8(&target_io, FW_DATA_DA + 16u + 256u - FW_MEM_DA) == FILL);
	CHECK(metal_io_read8(&target_io, FW_MAGIC_DA + 16u - FW_MEM_DA) == FILL);
	CHECK(metal_io_read8(&target_io, FW_ENTRY + 4u - FW_MEM_DA) == FILL);
	CHECK(word_at(FW_ENTRY) != 0xAAAAAAAAu); /* the code */
}

/* The table was parsed (carveout mapped, ids allocated, vendor entry handled), written back and installed. */
static void check_rsc(void)
{
	CHECK(seen.carveout_maps == 1 && seen.vendor_entries == 1);
	CHECK(rproc.rsc_table == target_mirror + (FW_RSC_DA - FW_MEM_DA));
	CHECK(rproc.rsc_len == FW_RSC_LEN && rproc.rsc_io == &target_io);
	uint32_t ids[3] = { word_at(FW_RSC_DA + VDEV_NOTIFYID), word_at(FW_RSC_DA + VRING_NOTIFYID(0)),
			    word_at(FW_RSC_DA + VRING_NOTIFYID(1)) };
	CHECK(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
	for (unsigned int i = 0; i < 3; i++)
		CHECK(ids[i] < 3u);
	CHECK(word_at(FW_RSC_DA + VENDOR_HANDLED) == 0xD0E);
	/* the installed table is usable: its vdev becomes a virtio device over the carveout's vrings */
	struct virtio_device *vdev = remoteproc_create_virtio(&rproc, 0, VIRTIO_DEV_DRIVER, NULL);
	CHECK(vdev && vdev->notifyid == ids[0] && vdev->vrings_num == 2);
	remoteproc_remove_virtio(&rproc, vdev);
}

static void check_loaded(void)
{
	CHECK(rproc.state == RPROC_READY && rproc.bootaddr == FW_ENTRY && rproc.loader == &elf_ops);
	check_segments();
	check_rsc();
	CHECK(remoteproc_start(&rproc) == 0 && rproc.state == RPROC_RUNNING);
}

static void test_blocking(struct image *img, const struct image_store_ops *store)
{
	void *info = NULL;
	fresh_remote();
	CHECK(remoteproc_load(&rproc, "fw.elf", img, store, &info) == 0);
	CHECK(img->opens == img->closes);
	CHECK(info && elf_get_load_state(info) >= 0 && (elf_get_load_state(info) & RPROC_LOADER_LOAD_COMPLETE));
	CHECK(elf_get_entry(info) == FW_ENTRY);
	metal_phys_addr_t da = 0;
	size_t off = 0, size = 0;
	CHECK(elf_locate_rsc_table(info, &da, &off, &size) == 0 && da == FW_RSC_DA && size == FW_RSC_LEN);
	CHECK(memcmp(img->bytes + off, "\1\0\0\0\3\0\0\0", 8) == 0); /* ver 1, 3 entries */
	elf_release(info);
	check_loaded();
	drop_remote();
}

static void test_noblock(struct image *img)
{
	void *info = NULL;
	fresh_remote();
	CHECK(load_noblock(img, &info) == 0);
	check_loaded();
	/* a call after completion does nothing more */
	metal_phys_addr_t pa;
	struct metal_io_region *io;
	size_t noffset, nlen, nmlen;
	unsigned char padding;
	rproc.state = RPROC_READY;
	CHECK(remoteproc_load_noblock(&rproc, NULL, 0, 0, &info, &pa, &io, &noffset, &nlen, &nmlen, &padding) == 0);
	CHECK(nlen == 0 && pa == RPROC_LOAD_ANYADDR && seen.vendor_entries == 1);
	elf_release(info);
	drop_remote();
}

/* The state checks of both entry points, and img_info NULL. */
static void test_states(struct image *img)
{
	fresh_remote();
	CHECK(remoteproc_load(&rproc, NULL, img, NULL, NULL) == -RPROC_EINVAL);
	CHECK(remoteproc_load(NULL, NULL, img, &seek_store, NULL) == -RPROC_ENODEV);
	rproc.state = RPROC_RUNNING;
	CHECK(remoteproc_load(&rproc, NULL, img, &seek_store, NULL) == -RPROC_EINVAL);
	void *info = NULL;
	CHECK(load_noblock(img, &info) == -RPROC_EINVAL && info == NULL);
	CHECK(img->opens == img->closes && word_at(FW_MAGIC_DA) == 0xAAAAAAAAu); /* nothing loaded */
	drop_remote();
	fresh_remote();
	CHECK(remoteproc_load(&rproc, NULL, img, &seek_store, NULL) == 0); /* no image information kept */
	CHECK(img->opens == img->closes);
	check_segments();
	drop_remote();
}

int main(int argc, char **argv)
{
	CHECK(argc > 1);
	native_shm_size = FW_MEM_SIZE;
	native_shm = malloc(native_shm_size);
	target_mirror = malloc(FW_MEM_SIZE);
	CHECK(native_shm && target_mirror);
	for (int i = 1; i < argc; i++) {
		struct image img = read_image(argv[i]);
		CHECK(img.size > 64 && (img.bytes[EI_CLASS] == ELFCLASS32 || img.bytes[EI_CLASS] == ELFCLASS64));
		test_blocking(&img, &seek_store);
		test_blocking(&img, &stream_store);
		test_noblock(&img);
		test_states(&img);
		test_corrupt(&img, argv[i]);
		test_mutations(&img, argv[i], 4000);
		printf("[loader] %s (ELF%d): loaded blocking (seek, stream) and step by step; corrupt images refused\n",
		       argv[i], img.bytes[EI_CLASS] == ELFCLASS64 ? 64 : 32);
		free(img.bytes);
	}
	free(target_mirror);
	free(native_shm);
	return 0;
}
