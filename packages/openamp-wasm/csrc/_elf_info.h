/*
 * v8r: the ELF loader's view of an image, ELF32 or ELF64 alike, read from the
 * headers copied into struct elf32_info / elf64_info. Every value is checked
 * to fit the types it is used with (size_t, metal_phys_addr_t: 32 bits in
 * wasm32) and every range not to wrap, so the loader can compute with them.
 */
#ifndef V8R_ELF_INFO_H
#define V8R_ELF_INFO_H

#include <stddef.h>
#include <openamp/elf_loader.h>

/** The file header's fields the loader uses. */
struct v8r_elf_hdr {
	size_t phoff, shoff;
	unsigned int phnum, shnum, shstrndx;
	metal_phys_addr_t entry;
};

/** A program header (offset + filesz and da + memsz do not wrap; filesz <= memsz for PT_LOAD). */
struct v8r_elf_seg {
	unsigned int type;
	size_t offset, filesz, memsz;
	metal_phys_addr_t da;
};

/** A section header (offset + size does not wrap). */
struct v8r_elf_sec {
	unsigned int name, type;
	size_t offset, size;
	metal_phys_addr_t addr;
};

/** The load state and the section names kept in an image information. */
struct v8r_elf_slots {
	int *state;
	void **shstrtab;
	size_t *shstrtab_size;
};

/** Whether the header (or information) at p is ELF64 (e_ident[EI_CLASS]). */
int v8r_elf_is64(const void *p);

/** The header's fields; -RPROC_EINVAL when the header is not one v8r loads (class, encoding, sizes, counts). */
int v8r_elf_hdr(const void *info, struct v8r_elf_hdr *h);

/** Program header i (of the copied table); -RPROC_EINVAL when absent or its values do not fit. */
int v8r_elf_seg(const void *info, unsigned int i, struct v8r_elf_seg *s);

/** Section header i (of the copied table); -RPROC_EINVAL when absent or its values do not fit. */
int v8r_elf_sec(const void *info, unsigned int i, struct v8r_elf_sec *s);

/** Where the state and the section names live in info. */
void v8r_elf_slots(void *info, struct v8r_elf_slots *s);

/** Make the table copy (an allocation of the right size) info's program headers. */
void v8r_elf_set_phdrs(void *info, void *table);
/** Make the table copy info's section headers. */
void v8r_elf_set_shdrs(void *info, void *table);
/** Free info's table copies (program and section headers, section names). */
void v8r_elf_free_tables(void *info);

#endif
