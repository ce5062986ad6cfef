/* Corrupt images refused with an error, and mutated images loaded or refused without reaching outside anything. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../check.h"
#include "../platform_native.h"
#include "loader_test.h"

/* Where things are in an image, read with elf_loader.h's types. */
struct layout {
	int is64;
	size_t phoff, shoff, phent, shent;
	unsigned int phnum, shnum, shstrndx, rsc; /* rsc: the .resource_table section's index */
};

static uint64_t get(const unsigned char *p, size_t at, size_t width)
{
	uint64_t v = 0;
	memcpy(&v, p + at, width); /* little-endian host (as the loader) */
	return v;
}

static void put(unsigned char *p, size_t at, size_t width, uint64_t v)
{
	memcpy(p + at, &v, width);
}

/* A field of header kind T in class-dependent width: 4 bytes in ELF32, 8 in ELF64 (Addr, Off, Xword). */
#define AT32_64(l, T, f) ((l)->is64 ? offsetof(Elf64_##T, f) : offsetof(Elf32_##T, f))
#define WIDE(l) ((size_t)((l)->is64 ? 8 : 4))

static struct layout layout_of(const struct image *img)
{
	struct layout l = { .is64 = img->bytes[EI_CLASS] == ELFCLASS64 };
	const unsigned char *b = img->bytes;
	l.phoff = (size_t)get(b, AT32_64(&l, Ehdr, e_phoff), WIDE(&l));
	l.shoff = (size_t)get(b, AT32_64(&l, Ehdr, e_shoff), WIDE(&l));
	l.phnum = (unsigned int)get(b, AT32_64(&l, Ehdr, e_phnum), 2);
	l.shnum = (unsigned int)get(b, AT32_64(&l, Ehdr, e_shnum), 2);
	l.shstrndx = (unsigned int)get(b, AT32_64(&l, Ehdr, e_shstrndx), 2);
	l.phent = l.is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	l.shent = l.is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	size_t names = (size_t)get(b, l.shoff + l.shstrndx * l.shent + AT32_64(&l, Shdr, sh_offset), WIDE(&l));
	for (l.rsc = 0; l.rsc < l.shnum; l.rsc++) {
		size_t name = (size_t)get(b, l.shoff + l.rsc * l.shent, 4);
		if (!strcmp((const char *)b + names + name, ".resource_table"))
			break;
	}
	CHECK(l.phnum >= 3 && l.rsc < l.shnum);
	return l;
}

/* Load a copy of good changed by `change`, seeking store; the result. */
static int load_changed(const struct image *good, void (*change)(struct image *, const struct layout *, long),
			long arg)
{
	struct image img = { malloc(good->size), good->size, 0, 0 };
	CHECK(img.bytes);
	memcpy(img.bytes, good->bytes, good->size);
	struct layout l = layout_of(good);
	change(&img, &l, arg);
	fresh_remote();
	int ret = remoteproc_load(&rproc, NULL, &img, &seek_store, NULL);
	CHECK(img.opens == img.closes);
	if (ret == 0) {
		void *info = NULL;
		drop_remote();
		fresh_remote(); /* the same image step by step */
		CHECK(load_noblock(&img, &info) == 0);
		elf_release(info);
	}
	drop_remote();
	free(img.bytes);
	return ret;
}

/* The first n bytes only, in an allocation of n bytes (ASan sees a read past them). */
static void cut(struct image *img, const struct layout *l, long n)
{
	(void)l;
	img->size = (size_t)n;
	img->bytes = realloc(img->bytes, img->size);
	CHECK(img->bytes);
}

/* arg: (field offset in the file header << 8) | width; the value is the byte after. */
static long ehdr_value;
static void set_ehdr(struct image *img, const struct layout *l, long at_width)
{
	(void)l;
	put(img->bytes, (size_t)(at_width >> 8), (size_t)(at_width & 0xff), (uint64_t)ehdr_value);
}

static void test_header(const struct image *good, const struct layout *l)
{
	const struct { size_t at, width; long value; } bad[] = {
		{ EI_MAG1, 1, 'X' },
		{ EI_CLASS, 1, 3 },
		{ EI_DATA, 1, ELFDATA2MSB },
		{ AT32_64(l, Ehdr, e_ehsize), 2, 0 },
		{ AT32_64(l, Ehdr, e_phentsize), 2, 1 },
		{ AT32_64(l, Ehdr, e_shentsize), 2, 7 },
		{ AT32_64(l, Ehdr, e_shstrndx), 2, (long)l->shnum },
		{ AT32_64(l, Ehdr, e_phnum), 2, 300 },
		{ AT32_64(l, Ehdr, e_phoff), WIDE(l), (long)good->size - 8 },
		{ AT32_64(l, Ehdr, e_phoff), WIDE(l), 0x7FFFFFF0L },
		{ AT32_64(l, Ehdr, e_shoff), WIDE(l), 0x7FFFFFF0L },
		{ AT32_64(l, Ehdr, e_shnum), 2, 0xFFFF },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ehdr_value = bad[i].value;
		int ret = load_changed(good, set_ehdr, (long)(bad[i].at << 8 | bad[i].width));
		if (ret >= 0)
			fprintf(stderr, "header case %zu loaded\n", i);
		CHECK(ret < 0);
	}
}

/* The data segment (program header 2): arg selects the change. */
static void bad_segment(struct image *img, const struct layout *l, long which)
{
	size_t ph = l->phoff + 2 * l->phent;
	size_t memsz = (size_t)get(img->bytes, ph + AT32_64(l, Phdr, p_memsz), WIDE(l));
	const struct { size_t at; uint64_t value; } c[] = {
		{ AT32_64(l, Phdr, p_filesz), memsz + 1 },
		{ AT32_64(l, Phdr, p_offset), img->size },
		{ AT32_64(l, Phdr, p_offset), 0xFFFFFFF0u },
		{ AT32_64(l, Phdr, p_paddr), 0x00900000u },
		{ AT32_64(l, Phdr, p_paddr), FW_MEM_DA + FW_MEM_SIZE - 8 },
		{ AT32_64(l, Phdr, p_paddr), 0xFFFFFFFFu },
		{ AT32_64(l, Phdr, p_memsz), 0x7FFFFFFFu },
		{ AT32_64(l, Phdr, p_paddr), l->is64 ? (uint64_t)1 << 40 : 0xFFFFFF00u },
	};
	put(img->bytes, ph + c[which].at, WIDE(l), c[which].value);
}

/* The resource table (its bytes in the image, or its section header): arg selects the change. */
static void bad_rsc(struct image *img, const struct layout *l, long which)
{
	size_t sh = l->shoff + l->rsc * l->shent;
	size_t t = (size_t)get(img->bytes, sh + AT32_64(l, Shdr, sh_offset), WIDE(l));
	const struct { size_t at, width; uint64_t value; } c[] = {
		{ t, 4, 2 },                                     /* version */
		{ t + 4, 4, 1000 },                              /* entries */
		{ t + 20, 4, FW_RSC_LEN + 100 },                 /* an entry's offset */
		{ t + 84 + 25, 1, 200 },                         /* the vdev's vrings */
		{ t + 160 + 4, 4, 1000 },                        /* the vendor entry's length */
		{ t + 8, 4, 1 },                                 /* reserved */
		{ sh + AT32_64(l, Shdr, sh_size), WIDE(l), 0x7FFFFFF0u },
		{ sh + AT32_64(l, Shdr, sh_offset), WIDE(l), img->size },
		{ sh + AT32_64(l, Shdr, sh_type), 4, SHT_NOBITS },
	};
	put(img->bytes, c[which].at, c[which].width, c[which].value);
}

/* Changes that lose the table's name: the image loads, without a table. */
static void nameless_rsc(struct image *img, const struct layout *l, long which)
{
	size_t at = which ? l->shoff + l->shstrndx * l->shent + AT32_64(l, Shdr, sh_size) : l->shoff + l->rsc * l->shent;
	put(img->bytes, at, which ? WIDE(l) : 4, which ? 3 : 0xFFFFFFF0u);
}

void test_corrupt(const struct image *good, const char *name)
{
	struct layout l = layout_of(good);
	const long cuts[] = { 3, 16, 40, 52, 63, (long)l.phoff + 1, (long)(l.phoff + l.phnum * l.phent) - 1,
			      (long)good->size / 2, (long)good->size - 1 };
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		CHECK(load_changed(good, cut, cuts[i]) < 0);
	test_header(good, &l);
	for (long i = 0; i < 8; i++)
		CHECK(load_changed(good, bad_segment, i) < 0);
	static const int rsc_errors[] = { -RPROC_ERR_RSC_TAB_VER, -RPROC_ERR_RSC_TAB_TRUNC, -RPROC_ERR_RSC_TAB_TRUNC,
					  -RPROC_ERR_RSC_TAB_TRUNC, -RPROC_ERR_RSC_TAB_TRUNC, -RPROC_ERR_RSC_TAB_RSVD,
					  -RPROC_EINVAL, -RPROC_EINVAL, -RPROC_EINVAL };
	for (long i = 0; i < 9; i++) {
		int ret = load_changed(good, bad_rsc, i);
		if (ret != rsc_errors[i])
			fprintf(stderr, "%s: resource table case %ld: %d\n", name, i, ret);
		CHECK(ret == rsc_errors[i]);
	}
	for (long i = 0; i < 2; i++) {
		CHECK(load_changed(good, nameless_rsc, i) == 0);
	}
}

static uint64_t rng;
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* 1-6 bytes changed, mostly in the headers and the table; loaded by one of the three ways. */
void test_mutations(const struct image *good, const char *name, unsigned int rounds)
{
	struct layout l = layout_of(good);
	size_t table = (size_t)get(good->bytes, l.shoff + l.rsc * l.shent + AT32_64(&l, Shdr, sh_offset), WIDE(&l));
	const size_t starts[] = { 0, l.phoff, l.shoff, table, 0 };
	const size_t spans[] = { 64, l.phnum * l.phent, l.shnum * l.shent, FW_RSC_LEN, good->size };
	static const unsigned char odd[] = { 0, 1, 2, 0x7F, 0x80, 0xFF, 0x10, 0x40 };
	unsigned int loaded = 0, refused = 0;
	struct image img = { malloc(good->size), good->size, 0, 0 };
	CHECK(img.bytes);
	rng = 0x9E3779B97F4A7C15ull ^ good->size;
	for (unsigned int r = 0; r < rounds; r++) {
		memcpy(img.bytes, good->bytes, good->size);
		for (unsigned int n = 1 + next() % 6; n > 0; n--) {
			unsigned int k = next() % 5;
			size_t at = starts[k] + next() % spans[k];
			img.bytes[at] = next() % 2 ? odd[next() % sizeof(odd)] : (unsigned char)next();
		}
		fresh_remote();
		void *info = NULL;
		int ret = r % 3 == 2 ? load_noblock(&img, &info)
				     : remoteproc_load(&rproc, NULL, &img, r % 3 ? &stream_store : &seek_store, &info);
		CHECK(img.opens == img.closes);
		elf_release(info);
		drop_remote(); /* nothing read or written outside the remote's memory */
		ret == 0 ? loaded++ : refused++;
	}
	free(img.bytes);
	printf("[loader] %s: %u mutated images: %u loaded, %u refused\n", name, rounds, loaded, refused);
	CHECK(loaded > 0 && refused > 0);
}
