/*
 * A tiny "remote firmware" for the loader test (ctest/loader): code, read-only
 * data, initialised data, zeroed data and a resource table in
 * ".resource_table", at the addresses fw.ld gives. Never run: the test checks
 * where its bytes land and what the loader does with its table.
 */
#include <stdint.h>

#define NUM_ENTRIES 3
#define ANY_ID 0xFFFFFFFFu

struct vring_entry {
	uint32_t da, align, num, notifyid, reserved;
};

/* The layout of OpenAMP's resource table, spelled out: this builds without the library's headers. */
struct fw_table {
	uint32_t ver, num, reserved[2];
	uint32_t offset[NUM_ENTRIES];
	struct {
		uint32_t type, da, pa, len, flags, reserved;
		uint8_t name[32];
	} carveout;
	struct {
		uint32_t type, id, notifyid, dfeatures, gfeatures, config_len;
		uint8_t status, num_of_vrings, reserved[2];
		struct vring_entry vring[2];
		uint8_t config[8];
	} vdev;
	struct {
		uint32_t type, len;
		uint32_t magic, handled;
	} vendor;
};

__attribute__((section(".resource_table"), used)) struct fw_table resource_table = {
	.ver = 1,
	.num = NUM_ENTRIES,
	.offset = { __builtin_offsetof(struct fw_table, carveout), __builtin_offsetof(struct fw_table, vdev),
		    __builtin_offsetof(struct fw_table, vendor) },
	.carveout = { 0, 0x00300000u, 0x00300000u, 0x4000u, 0, 0, "fw-carveout" },
	.vdev = { 3, 7, ANY_ID, 1, 0, 8, 0, 2, { 0, 0 },
		  { { 0x00301000u, 16, 8, ANY_ID, 0 }, { 0x00301800u, 16, 8, ANY_ID, 0 } },
		  { 1, 2, 3, 4, 5, 6, 7, 8 } },
	.vendor = { 130, 16, 0x56385221u, 0 },
};

__attribute__((section(".fw_magic"), used)) const uint32_t fw_magic[4] = { 0xC0DEF00Du, 0x12345678u, 0x9ABCDEF0u,
									   0x0BADCAFEu };
uint32_t fw_words[4] = { 0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u };
uint32_t fw_zeroes[64];

void _start(void)
{
	for (;;)
		fw_zeroes[fw_words[0] & 63u] += fw_magic[1] + resource_table.vendor.handled;
}
