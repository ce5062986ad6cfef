/*
 * v8r platform interface: the shared-memory accessors and environment
 * services the C code needs. In the wasm build they are imports (module
 * "v8r_shm" and "v8r_env") implemented in TypeScript; natively they are
 * implemented over a plain buffer (ctest/platform_native.c).
 */
#ifndef V8R_PLATFORM_H
#define V8R_PLATFORM_H

#include <stdint.h>

#ifdef __wasm__
#define V8R_IMPORT(mod, name) __attribute__((import_module(#mod), import_name(#name)))
#define V8R_EXPORT(name) __attribute__((export_name(#name)))
#else
#define V8R_IMPORT(mod, name)
#define V8R_EXPORT(name)
#endif

V8R_IMPORT(v8r_shm, read8) uint32_t v8r_shm_read8(uint32_t off);
V8R_IMPORT(v8r_shm, read16) uint32_t v8r_shm_read16(uint32_t off);
V8R_IMPORT(v8r_shm, read32) uint32_t v8r_shm_read32(uint32_t off);
V8R_IMPORT(v8r_shm, write8) void v8r_shm_write8(uint32_t off, uint32_t value);
V8R_IMPORT(v8r_shm, write16) void v8r_shm_write16(uint32_t off, uint32_t value);
V8R_IMPORT(v8r_shm, write32) void v8r_shm_write32(uint32_t off, uint32_t value);
V8R_IMPORT(v8r_shm, load_acquire16) uint32_t v8r_shm_load_acquire16(uint32_t off);
V8R_IMPORT(v8r_shm, load_acquire32) uint32_t v8r_shm_load_acquire32(uint32_t off);
V8R_IMPORT(v8r_shm, store_release16) void v8r_shm_store_release16(uint32_t off, uint32_t value);
V8R_IMPORT(v8r_shm, store_release32) void v8r_shm_store_release32(uint32_t off, uint32_t value);
V8R_IMPORT(v8r_shm, block_read) void v8r_shm_block_read(uint32_t off, void *dst, uint32_t len);
V8R_IMPORT(v8r_shm, block_write) void v8r_shm_block_write(uint32_t off, const void *src, uint32_t len);
V8R_IMPORT(v8r_shm, block_set) void v8r_shm_block_set(uint32_t off, uint32_t value, uint32_t len);
/*
 * A ring publish in one crossing: copy len bytes from src to off (none when
 * len is 0); then at store_off store value (16 bits), unconditionally when
 * expect > 0xffff, else only if the 16 bits there equal expect; then load the
 * 16 bits at load_off. Store and load are sequentially consistent. Returns
 * the 16 bits at load_off, plus V8R_PUBLISH_REFUSED when a conditional store
 * found other bits than expect and stored nothing (small values: no boxed
 * number crosses back from JavaScript). Used to publish ring entries and an
 * index and read the peer's flags, and to re-enable notifications and read
 * the peer's index (no wake-up lost between the two).
 */
#define V8R_PUBLISH_REFUSED 0x10000u
V8R_IMPORT(v8r_shm, publish16)
uint32_t v8r_shm_publish16(uint32_t off, const void *src, uint32_t len, uint32_t store_off, uint32_t expect, uint32_t value,
			   uint32_t load_off);
/* publish16 that copies a second block (len2 bytes from src2 to off2) after the first: a driver's descriptors. */
V8R_IMPORT(v8r_shm, publish16x2)
uint32_t v8r_shm_publish16x2(uint32_t off, const void *src, uint32_t len, uint32_t off2, const void *src2, uint32_t len2,
			     uint32_t store_off, uint32_t expect, uint32_t value, uint32_t load_off);
/*
 * block_read of len bytes at each of the n offsets at offs (4-aligned) into dst, one after the other (dst + i * len),
 * in one crossing: the headers of a batch of received messages.
 */
V8R_IMPORT(v8r_shm, block_gather) void v8r_shm_block_gather(const uint32_t *offs, uint32_t n, uint32_t len, void *dst);
/* read8(off8) << 16 | load_acquire16(off16), in one crossing (a remote's status byte and used index before a send). */
V8R_IMPORT(v8r_shm, read8_acquire16) uint32_t v8r_shm_read8_acquire16(uint32_t off8, uint32_t off16);

V8R_IMPORT(v8r_env, log) void v8r_env_log(int level, const char *msg, uint32_t len);
V8R_IMPORT(v8r_env, sleep_us) void v8r_env_sleep_us(uint32_t usec);
/* Milliseconds of the platform clock (monotonic). */
V8R_IMPORT(v8r_env, now_ms) double v8r_env_now_ms(void);

#endif
