/*
 * v8r OpenAMP: the ELF loader (elf_ops), with OpenAMP's load-state machine:
 * the file header, then the program headers (ready to load), the section
 * headers and the section names (headers complete), each read from whatever
 * image bytes the caller holds, or asked for (*noffset, *nlen); then one
 * loadable segment per elf_load call; then, for a store that cannot seek back,
 * the headers that come after the data. Every table is copied out of the
 * caller's bytes only when [offset, offset + len) holds all of it.
 */
#include <limits.h>
#include <string.h>
#include <metal/alloc.h>
#include <metal/log.h>
#include "_elf_info.h"

#define RSC_SECTION ".resource_table"

/* The image bytes [want, want + n) within the window [offset, offset + len) at img_data, else NULL. */
static const unsigned char *window(const void *img_data, size_t offset, size_t len, size_t want, size_t n)
{
	if (!img_data || want < offset || want - offset > len || n > len - (want - offset))
		return NULL;
	return (const unsigned char *)img_data + (want - offset);
}

/* A copy of the image bytes [at, at + n): 1 and *copy, 0 when the window lacks them (asked for), or an error. */
static int take(const void *img_data, size_t offset, size_t len, size_t at, size_t n, void **copy, size_t *noffset,
		size_t *nlen)
{
	const unsigned char *src = window(img_data, offset, len, at, n);
	if (!src) {
		*noffset = at;
		*nlen = n;
		return 0;
	}
	if (n == 0 || n > UINT_MAX)
		return -RPROC_EINVAL;
	*copy = metal_allocate_memory((unsigned int)n);
	if (!*copy)
		return -RPROC_ENOMEM;
	memcpy(*copy, src, n);
	return 1;
}

int elf_identify(const void *img_data, size_t len)
{
	if (!img_data || len < SELFMAG || memcmp(img_data, ELFMAG, SELFMAG))
		return -RPROC_EINVAL;
	return 0;
}

/* An image information for a header of class is64: *img_info when it is one of that class, else a new one. */
static int info_for(void **img_info, int is64)
{
	if (*img_info) {
		if (v8r_elf_is64(*img_info) != is64)
			return -RPROC_EINVAL;
		v8r_elf_free_tables(*img_info);
		return 0;
	}
	size_t size = is64 ? sizeof(struct elf64_info) : sizeof(struct elf32_info);
	*img_info = metal_allocate_memory((unsigned int)size);
	if (!*img_info)
		return -RPROC_ENOMEM;
	memset(*img_info, 0, size);
	return 0;
}

/* The file header: ELF_STATE_WAIT_FOR_PHDRS once read and checked, ELF_STATE_INIT while asked for. */
static int read_ehdr(const void *img_data, size_t offset, size_t len, void **img_info, size_t *noffset,
		     size_t *nlen)
{
	const unsigned char *id = window(img_data, offset, len, 0, EI_NIDENT);
	size_t need = id && id[EI_CLASS] == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	const unsigned char *raw = window(img_data, offset, len, 0, need);
	if (!raw) {
		*noffset = 0;
		*nlen = need;
		return ELF_STATE_INIT;
	}
	if (elf_identify(raw, need) || (raw[EI_CLASS] != ELFCLASS32 && raw[EI_CLASS] != ELFCLASS64)) {
		metal_log(METAL_LOG_ERROR, "elf loader: not an ELF32 or ELF64 image\n");
		return -RPROC_EINVAL;
	}
	int fresh = !*img_info;
	int ret = info_for(img_info, raw[EI_CLASS] == ELFCLASS64);
	if (ret)
		return ret;
	memcpy(*img_info, raw, need); /* the header is the first member of elf32_info and elf64_info */
	struct v8r_elf_hdr h;
	if (v8r_elf_hdr(*img_info, &h)) {
		metal_log(METAL_LOG_ERROR, "elf loader: unsupported or corrupt ELF header\n");
		if (fresh) {
			metal_free_memory(*img_info);
			*img_info = NULL;
		}
		return -RPROC_EINVAL;
	}
	struct v8r_elf_slots s;
	v8r_elf_slots(*img_info, &s);
	*s.state = ELF_STATE_WAIT_FOR_PHDRS;
	return ELF_STATE_WAIT_FOR_PHDRS;
}

/* A header table of the image: n entries of entsize bytes at `at`, handed to set() once copied. */
struct header_table {
	size_t at, entsize;
	unsigned int n;
	void (*set)(void *info, void *table);
	int next; /* the ELF state bits once it is read (and loader bits to add) */
};

/*
 * Header table t copied out of the image bytes and made info's (NULL for no
 * entries), then the ELF state bits t->next: 1, 0 (asked for) or an error.
 */
static int read_table(const void *img_data, size_t offset, size_t len, void *info, const struct header_table *t,
		      size_t *noffset, size_t *nlen)
{
	void *table = NULL;
	if (t->n) {
		size_t size = (size_t)t->n * t->entsize; /* at most 65535 * 64 */
		if (t->at > SIZE_MAX - size)
			return -RPROC_EINVAL;
		int ret = take(img_data, offset, len, t->at, size, &table, noffset, nlen);
		if (ret <= 0)
			return ret;
	}
	t->set(info, table);
	struct v8r_elf_slots s;
	v8r_elf_slots(info, &s);
	*s.state = (*s.state & ~ELF_STATE_MASK) | t->next;
	return 1;
}

/* The program headers: then ready to load (the state was ELF_STATE_WAIT_FOR_PHDRS alone: no loader bits, segment 0). */
static int read_phdrs(const void *img_data, size_t offset, size_t len, void *info, size_t *noffset, size_t *nlen)
{
	struct v8r_elf_hdr h;
	v8r_elf_hdr(info, &h);
	const struct header_table t = { h.phoff, v8r_elf_is64(info) ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr), h.phnum,
					v8r_elf_set_phdrs, ELF_STATE_WAIT_FOR_SHDRS | RPROC_LOADER_READY_TO_LOAD };
	return read_table(img_data, offset, len, info, &t, noffset, nlen);
}

/* The section headers: then their names, or, with no sections, no names to read. */
static int read_shdrs(const void *img_data, size_t offset, size_t len, void *info, size_t *noffset, size_t *nlen)
{
	struct v8r_elf_hdr h;
	v8r_elf_hdr(info, &h);
	const struct header_table t = { h.shoff, v8r_elf_is64(info) ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr), h.shnum,
					v8r_elf_set_shdrs, h.shnum ? ELF_STATE_WAIT_FOR_SHSTRTAB : ELF_STATE_HDRS_COMPLETE };
	return read_table(img_data, offset, len, info, &t, noffset, nlen);
}

static int read_shstrtab(const void *img_data, size_t offset, size_t len, void *info, size_t *noffset,
			 size_t *nlen)
{
	struct v8r_elf_hdr h;
	struct v8r_elf_slots s;
	struct v8r_elf_sec sec;
	v8r_elf_hdr(info, &h);
	v8r_elf_slots(info, &s);
	if (v8r_elf_sec(info, h.shstrndx, &sec))
		return -RPROC_EINVAL;
	if (h.shstrndx != 0 && sec.size) { /* section 0 (SHN_UNDEF): the sections have no names */
		int ret = take(img_data, offset, len, sec.offset, sec.size, s.shstrtab, noffset, nlen);
		if (ret <= 0)
			return ret;
		*s.shstrtab_size = sec.size;
	}
	*s.state = (*s.state & ~ELF_STATE_MASK) | ELF_STATE_HDRS_COMPLETE;
	return 1;
}

int elf_load_header(const void *img_data, size_t offset, size_t len, void **img_info, int last_load_state,
		    size_t *noffset, size_t *nlen)
{
	if (!img_info || !noffset || !nlen)
		return -RPROC_EINVAL;
	if (last_load_state == ELF_STATE_INIT) {
		last_load_state = read_ehdr(img_data, offset, len, img_info, noffset, nlen);
		if (last_load_state <= 0)
			return last_load_state;
	}
	if (!*img_info)
		return -RPROC_EINVAL;
	struct v8r_elf_slots s;
	v8r_elf_slots(*img_info, &s);
	if (last_load_state != *s.state)
		return -RPROC_EINVAL;
	static int (*const steps[])(const void *, size_t, size_t, void *, size_t *, size_t *) = {
		read_phdrs, read_shdrs, read_shstrtab };
	static const int waits[] = { ELF_STATE_WAIT_FOR_PHDRS, ELF_STATE_WAIT_FOR_SHDRS, ELF_STATE_WAIT_FOR_SHSTRTAB };
	for (unsigned int i = 0; i < 3; i++) {
		if (!(*s.state & waits[i]))
			continue;
		int ret = steps[i](img_data, offset, len, *img_info, noffset, nlen);
		if (ret <= 0)
			return ret < 0 ? ret : *s.state;
	}
	if (*s.state & ELF_STATE_HDRS_COMPLETE)
		*nlen = 0;
	return *s.state;
}

/*
 * The next loadable segment from the state's index: 1 with its place, or 0
 * when there is none left (the state then says POST_DATA_LOAD). Segments with
 * nothing in memory are passed over. After the last program header the state
 * says POST_DATA_LOAD at once, as OpenAMP's.
 */
static int next_segment(void *info, int *state, metal_phys_addr_t *da, size_t *noffset, size_t *nlen,
			size_t *nmemsize)
{
	struct v8r_elf_hdr h;
	v8r_elf_hdr(info, &h);
	unsigned int i = (unsigned int)(*state & ELF_NEXT_SEGMENT_MASK);
	int found = 0;
	while (i < h.phnum && !found) {
		struct v8r_elf_seg seg;
		if (v8r_elf_seg(info, i++, &seg)) {
			metal_log(METAL_LOG_ERROR, "elf loader: program header %u is corrupt\n", i - 1);
			return -RPROC_EINVAL;
		}
		if (seg.type != PT_LOAD || seg.memsz == 0)
			continue;
		*da = seg.da;
		*noffset = seg.offset;
		*nlen = seg.filesz;
		if (nmemsize)
			*nmemsize = seg.memsz;
		found = 1;
	}
	*state = (*state & ~ELF_NEXT_SEGMENT_MASK) | (int)i;
	if (i == h.phnum)
		*state = (*state & ~RPROC_LOADER_MASK) | RPROC_LOADER_POST_DATA_LOAD;
	return found;
}

/* After the data: the headers not read yet, then LOAD_COMPLETE. */
static int post_data(const void *img_data, size_t offset, size_t len, void **img_info, int *state,
		     size_t *noffset, size_t *nlen)
{
	*nlen = 0;
	if (!(*state & ELF_STATE_HDRS_COMPLETE)) {
		int ret = elf_load_header(img_data, offset, len, img_info, *state, noffset, nlen);
		if (ret < 0 || !(ret & ELF_STATE_HDRS_COMPLETE))
			return ret;
	}
	*state = (*state & ~RPROC_LOADER_MASK) | RPROC_LOADER_LOAD_COMPLETE;
	*nlen = 0;
	return *state;
}

int elf_load(struct remoteproc *rproc, const void *img_data, size_t offset, size_t len, void **img_info,
	     int last_load_state, metal_phys_addr_t *da, size_t *noffset, size_t *nlen, unsigned char *padding,
	     size_t *nmemsize)
{
	(void)rproc;
	if (!img_info || !da || !noffset || !nlen)
		return -RPROC_EINVAL;
	*da = RPROC_LOAD_ANYADDR;
	if ((last_load_state & RPROC_LOADER_MASK) == RPROC_LOADER_NOT_READY) {
		last_load_state = elf_load_header(img_data, offset, len, img_info, last_load_state, noffset, nlen);
		if (last_load_state < 0 || (last_load_state & RPROC_LOADER_MASK) == RPROC_LOADER_NOT_READY)
			return last_load_state;
	}
	if (!*img_info)
		return -RPROC_EINVAL;
	struct v8r_elf_slots s;
	v8r_elf_slots(*img_info, &s);
	if (last_load_state != *s.state)
		return -RPROC_EINVAL;
	if (padding)
		*padding = 0; /* ELF: the memory past a segment's file bytes is zeroed */
	if (*s.state & RPROC_LOADER_READY_TO_LOAD) {
		int ret = next_segment(*img_info, s.state, da, noffset, nlen, nmemsize);
		if (ret)
			return ret < 0 ? ret : *s.state;
	}
	if (*s.state & RPROC_LOADER_POST_DATA_LOAD)
		return post_data(img_data, offset, len, img_info, s.state, noffset, nlen);
	return *s.state;
}

void elf_release(void *img_info)
{
	if (!img_info)
		return;
	v8r_elf_free_tables(img_info);
	metal_free_memory(img_info);
}

metal_phys_addr_t elf_get_entry(void *img_info)
{
	struct v8r_elf_hdr h;
	if (!img_info || v8r_elf_hdr(img_info, &h))
		return METAL_BAD_PHYS;
	return h.entry;
}

/* Whether section sec is named name (the name and its NUL inside the section names). */
static int named(const struct v8r_elf_slots *s, const struct v8r_elf_sec *sec, const char *name)
{
	size_t n = strlen(name) + 1;
	const char *names = *s->shstrtab;
	return names && sec->name < *s->shstrtab_size && *s->shstrtab_size - sec->name >= n &&
	       !memcmp(names + sec->name, name, n);
}

int elf_locate_rsc_table(void *img_info, metal_phys_addr_t *da, size_t *offset, size_t *size)
{
	if (!img_info || !size)
		return -RPROC_EINVAL;
	struct v8r_elf_slots s;
	struct v8r_elf_hdr h;
	v8r_elf_slots(img_info, &s);
	if (!(*s.state & ELF_STATE_HDRS_COMPLETE))
		return -RPROC_ERR_LOADER_STATE;
	*size = 0;
	v8r_elf_hdr(img_info, &h);
	for (unsigned int i = 0; i < h.shnum; i++) {
		struct v8r_elf_sec sec;
		if (v8r_elf_sec(img_info, i, &sec))
			return -RPROC_EINVAL;
		if (!named(&s, &sec, RSC_SECTION))
			continue;
		if (sec.type == SHT_NOBITS) /* no bytes in the image to read a table from */
			return -RPROC_EINVAL;
		if (da)
			*da = sec.addr;
		if (offset)
			*offset = sec.offset;
		*size = sec.size;
		return 0;
	}
	return 0;
}

int elf_get_load_state(void *img_info)
{
	if (!img_info)
		return -RPROC_EINVAL;
	struct v8r_elf_slots s;
	v8r_elf_slots(img_info, &s);
	return *s.state;
}

const struct loader_ops elf_ops = {
	.load_header = elf_load_header,
	.load_data = elf_load,
	.locate_rsc_table = elf_locate_rsc_table,
	.release = elf_release,
	.get_entry = elf_get_entry,
	.get_load_state = elf_get_load_state,
};
