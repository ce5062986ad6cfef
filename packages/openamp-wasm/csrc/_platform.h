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

V8R_IMPORT(v8r_env, log) void v8r_env_log(int level, const char *msg, uint32_t len);
V8R_IMPORT(v8r_env, sleep_us) void v8r_env_sleep_us(uint32_t usec);
/* Milliseconds of the platform clock (monotonic). */
V8R_IMPORT(v8r_env, now_ms) double v8r_env_now_ms(void);

#endif
