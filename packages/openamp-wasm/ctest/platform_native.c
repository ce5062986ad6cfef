#define _POSIX_C_SOURCE 200809L
/* Native implementation of the v8r platform interface over a plain buffer. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "../csrc/_platform.h"
#include "platform_native.h"

unsigned char *native_shm;
size_t native_shm_size;
unsigned long native_faults;

static int ok(uint32_t off, uint32_t len)
{
	if (off > native_shm_size || len > native_shm_size - off) {
		native_faults++;
		return 0;
	}
	return 1;
}

uint32_t v8r_shm_read8(uint32_t off) { return ok(off, 1) ? native_shm[off] : 0; }
uint32_t v8r_shm_read16(uint32_t off)
{
	uint16_t v = 0;
	if (ok(off, 2))
		memcpy(&v, native_shm + off, 2);
	return v;
}
uint32_t v8r_shm_read32(uint32_t off)
{
	uint32_t v = 0;
	if (ok(off, 4))
		memcpy(&v, native_shm + off, 4);
	return v;
}
void v8r_shm_write8(uint32_t off, uint32_t value)
{
	if (ok(off, 1))
		native_shm[off] = (unsigned char)value;
}
void v8r_shm_write16(uint32_t off, uint32_t value)
{
	uint16_t v = (uint16_t)value;
	if (ok(off, 2))
		memcpy(native_shm + off, &v, 2);
}
void v8r_shm_write32(uint32_t off, uint32_t value)
{
	if (ok(off, 4))
		memcpy(native_shm + off, &value, 4);
}
uint32_t v8r_shm_load_acquire16(uint32_t off)
{
	uint32_t v = v8r_shm_read16(off);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return v;
}
uint32_t v8r_shm_load_acquire32(uint32_t off)
{
	uint32_t v = v8r_shm_read32(off);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return v;
}
void v8r_shm_store_release16(uint32_t off, uint32_t value)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	v8r_shm_write16(off, value);
}
void v8r_shm_store_release32(uint32_t off, uint32_t value)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	v8r_shm_write32(off, value);
}
void v8r_shm_block_read(uint32_t off, void *dst, uint32_t len)
{
	if (ok(off, len))
		memcpy(dst, native_shm + off, len);
}
void v8r_shm_block_write(uint32_t off, const void *src, uint32_t len)
{
	if (ok(off, len))
		memcpy(native_shm + off, src, len);
}
void v8r_shm_block_set(uint32_t off, uint32_t value, uint32_t len)
{
	if (ok(off, len))
		memset(native_shm + off, (int)value, len);
}

uint32_t v8r_shm_publish16x2(uint32_t off, const void *src, uint32_t len, uint32_t off2, const void *src2, uint32_t len2,
			     uint32_t store_off, uint32_t expect, uint32_t value, uint32_t load_off)
{
	if (len)
		v8r_shm_block_write(off, src, len);
	return v8r_shm_publish16(off2, src2, len2, store_off, expect, value, load_off);
}

uint32_t v8r_shm_publish16(uint32_t off, const void *src, uint32_t len, uint32_t store_off, uint32_t expect, uint32_t value,
			   uint32_t load_off)
{
	if (len)
		v8r_shm_block_write(off, src, len);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint32_t refused = expect <= 0xffffu && v8r_shm_read16(store_off) != expect;
	if (!refused)
		v8r_shm_write16(store_off, value);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (refused ? V8R_PUBLISH_REFUSED : 0u) | v8r_shm_read16(load_off);
}

void v8r_shm_block_gather(const uint32_t *offs, uint32_t n, uint32_t len, void *dst)
{
	for (uint32_t i = 0; i < n; i++)
		v8r_shm_block_read(offs[i], (unsigned char *)dst + (size_t)i * len, len);
}

uint32_t v8r_shm_read8_acquire16(uint32_t off8, uint32_t off16)
{
	return v8r_shm_read8(off8) << 16 | v8r_shm_load_acquire16(off16);
}

void v8r_env_log(int level, const char *msg, uint32_t len) { fprintf(stderr, "[log %d] %.*s\n", level, (int)len, msg); }
void (*native_yield_hook)(void);

void v8r_env_sleep_us(uint32_t usec)
{
	if (native_yield_hook)
		native_yield_hook();
	struct timespec ts = { .tv_sec = usec / 1000000u, .tv_nsec = (long)(usec % 1000000u) * 1000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

double v8r_env_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
