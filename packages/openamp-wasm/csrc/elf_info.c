/* v8r: ELF32/ELF64 header fields for the ELF loader, checked (see _elf_info.h). */
#include <stdint.h>
#include <metal/alloc.h>
#include <metal/sys.h>
#include "_elf_info.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ELF loader reads little-endian images with the host's loads: it needs a little-endian host"
#endif

#define PHYS_MAX ((metal_phys_addr_t)-1)

/* v fits in size_t (64-bit values on a 32-bit host). */
static int fits_size(uint64_t v)
{
	return v <= SIZE_MAX;
}

/* [base, base + len) fits in a metal_phys_addr_t without wrapping; base is not METAL_BAD_PHYS. */
static int fits_phys(uint64_t base, uint64_t len)
{
	return base < PHYS_MAX && len <= PHYS_MAX - base;
}

int v8r_elf_is64(const void *p)
{
	return ((const unsigned char *)p)[EI_CLASS] == ELFCLASS64;
}

/* The header's counts and entry sizes against what v8r reads (entry sizes exactly its structures'). */
static int check_shape(unsigned int ehsize, unsigned int phentsize, unsigned int shentsize, size_t ehdr,
		       size_t phdr, size_t shdr, const struct v8r_elf_hdr *h)
{
	if (ehsize != ehdr || (h->phnum && phentsize != phdr) || (h->shnum && shentsize != shdr))
		return -RPROC_EINVAL;
	if (h->phnum > ELF_NEXT_SEGMENT_MASK) /* the next segment's index must fit in the load state */
		return -RPROC_EINVAL;
	if (h->shnum && h->shstrndx >= h->shnum)
		return -RPROC_EINVAL;
	return 0;
}

int v8r_elf_hdr(const void *info, struct v8r_elf_hdr *h)
{
	const unsigned char *id = info;
	if (id[EI_DATA] != ELFDATA2LSB)
		return -RPROC_EINVAL;
	if (id[EI_CLASS] == ELFCLASS32) {
		const Elf32_Ehdr *e = info;
		*h = (struct v8r_elf_hdr){ e->e_phoff, e->e_shoff, e->e_phnum, e->e_shnum, e->e_shstrndx, e->e_entry };
		return check_shape(e->e_ehsize, e->e_phentsize, e->e_shentsize, sizeof(Elf32_Ehdr),
				   sizeof(Elf32_Phdr), sizeof(Elf32_Shdr), h);
	}
	if (id[EI_CLASS] != ELFCLASS64)
		return -RPROC_EINVAL;
	const Elf64_Ehdr *e = info;
	if (!fits_size(e->e_phoff) || !fits_size(e->e_shoff) || e->e_entry > PHYS_MAX)
		return -RPROC_EINVAL;
	*h = (struct v8r_elf_hdr){ (size_t)e->e_phoff, (size_t)e->e_shoff, e->e_phnum, e->e_shnum, e->e_shstrndx,
				   (metal_phys_addr_t)e->e_entry };
	return check_shape(e->e_ehsize, e->e_phentsize, e->e_shentsize, sizeof(Elf64_Ehdr), sizeof(Elf64_Phdr),
			   sizeof(Elf64_Shdr), h);
}

/* The checks common to both classes, on the values widened to 64 bits. */
static int fill_seg(struct v8r_elf_seg *s, uint32_t type, uint64_t offset, uint64_t paddr, uint64_t filesz,
		    uint64_t memsz)
{
	s->type = type;
	if (type != PT_LOAD) /* only the type of other segments is used */
		return 0;
	if (filesz > memsz || !fits_size(offset) || !fits_size(memsz) || filesz > SIZE_MAX - (size_t)offset ||
	    !fits_phys(paddr, memsz))
		return -RPROC_EINVAL;
	s->offset = (size_t)offset;
	s->filesz = (size_t)filesz;
	s->memsz = (size_t)memsz;
	s->da = (metal_phys_addr_t)paddr;
	return 0;
}

int v8r_elf_seg(const void *info, unsigned int i, struct v8r_elf_seg *s)
{
	*s = (struct v8r_elf_seg){ PT_NULL, 0, 0, 0, 0 };
	if (!v8r_elf_is64(info)) {
		const struct elf32_info *e = info;
		if (!e->phdrs || i >= e->ehdr.e_phnum)
			return -RPROC_EINVAL;
		const Elf32_Phdr *p = &e->phdrs[i];
		return fill_seg(s, p->p_type, p->p_offset, p->p_paddr, p->p_filesz, p->p_memsz);
	}
	const struct elf64_info *e = info;
	if (!e->phdrs || i >= e->ehdr.e_phnum)
		return -RPROC_EINVAL;
	const Elf64_Phdr *p = &e->phdrs[i];
	return fill_seg(s, p->p_type, p->p_offset, p->p_paddr, p->p_filesz, p->p_memsz);
}

static int fill_sec(struct v8r_elf_sec *s, uint32_t name, uint32_t type, uint64_t offset, uint64_t size,
		    uint64_t addr)
{
	if (!fits_size(offset) || !fits_size(size) || (size_t)size > SIZE_MAX - (size_t)offset || addr > PHYS_MAX)
		return -RPROC_EINVAL;
	*s = (struct v8r_elf_sec){ name, type, (size_t)offset, (size_t)size, (metal_phys_addr_t)addr };
	return 0;
}

int v8r_elf_sec(const void *info, unsigned int i, struct v8r_elf_sec *s)
{
	if (!v8r_elf_is64(info)) {
		const struct elf32_info *e = info;
		if (!e->shdrs || i >= e->ehdr.e_shnum)
			return -RPROC_EINVAL;
		const Elf32_Shdr *p = &e->shdrs[i];
		return fill_sec(s, p->sh_name, p->sh_type, p->sh_offset, p->sh_size, p->sh_addr);
	}
	const struct elf64_info *e = info;
	if (!e->shdrs || i >= e->ehdr.e_shnum)
		return -RPROC_EINVAL;
	const Elf64_Shdr *p = &e->shdrs[i];
	return fill_sec(s, p->sh_name, p->sh_type, p->sh_offset, p->sh_size, p->sh_addr);
}

void v8r_elf_slots(void *info, struct v8r_elf_slots *s)
{
	if (!v8r_elf_is64(info)) {
		struct elf32_info *e = info;
		*s = (struct v8r_elf_slots){ &e->load_state, &e->shstrtab, &e->shstrtab_size };
		return;
	}
	struct elf64_info *e = info;
	*s = (struct v8r_elf_slots){ &e->load_state, &e->shstrtab, &e->shstrtab_size };
}

void v8r_elf_set_phdrs(void *info, void *table)
{
	if (!v8r_elf_is64(info))
		((struct elf32_info *)info)->phdrs = table;
	else
		((struct elf64_info *)info)->phdrs = table;
}

void v8r_elf_set_shdrs(void *info, void *table)
{
	if (!v8r_elf_is64(info))
		((struct elf32_info *)info)->shdrs = table;
	else
		((struct elf64_info *)info)->shdrs = table;
}

void v8r_elf_free_tables(void *info)
{
	struct v8r_elf_slots s;
	v8r_elf_slots(info, &s);
	if (!v8r_elf_is64(info)) {
		struct elf32_info *e = info;
		metal_free_memory(e->phdrs);
		metal_free_memory(e->shdrs);
	} else {
		struct elf64_info *e = info;
		metal_free_memory(e->phdrs);
		metal_free_memory(e->shdrs);
	}
	v8r_elf_set_phdrs(info, NULL);
	v8r_elf_set_shdrs(info, NULL);
	metal_free_memory(*s.shstrtab);
	*s.shstrtab = NULL;
	*s.shstrtab_size = 0;
}
