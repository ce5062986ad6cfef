/*
 * zephyr/kernel.h for C programs on v8r's Zephyr (a WASI program that
 * zephyr-shim runs as a domain's application, built with v8r-cc): the small
 * part of Zephyr's C API such a program needs to look at its system, with
 * Zephyr's names and types: uptime, threads and their runtime statistics,
 * the system heap's statistics, CPU load, printk and logging. Each call is
 * an import of module "v8r_zephyr", which zephyr-shim implements over its
 * kernel (src/wasi-zephyr-api.ts). Waiting and timers are the machine
 * port's (platform_info.h); threads cannot be created: the program is the
 * domain's main thread.
 */
#ifndef V8R_ZEPHYR_KERNEL_H
#define V8R_ZEPHYR_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define V8R_ZEPHYR_IMPORT(name) __attribute__((import_module("v8r_zephyr"), import_name(#name)))

/* The imports (zephyr-shim's wasi-zephyr-api.ts). */
V8R_ZEPHYR_IMPORT(uptime_ms) int64_t v8r_zephyr_uptime_ms(void);
V8R_ZEPHYR_IMPORT(thread_count) int v8r_zephyr_thread_count(void);
V8R_ZEPHYR_IMPORT(thread_info) int v8r_zephyr_thread_info(int index, uint32_t *id, char *name, size_t name_cap, char *state, size_t state_cap, uint64_t *cycles);
V8R_ZEPHYR_IMPORT(heap_stats) void v8r_zephyr_heap_stats(uint32_t *free_bytes, uint32_t *allocated_bytes, uint32_t *max_allocated_bytes);
V8R_ZEPHYR_IMPORT(cpu_load) int v8r_zephyr_cpu_load(int reset);
V8R_ZEPHYR_IMPORT(console) void v8r_zephyr_console(const char *text, size_t len);
V8R_ZEPHYR_IMPORT(log) void v8r_zephyr_log(int level, const char *module, size_t module_len, const char *text, size_t text_len);

/** Milliseconds since this Zephyr booted. */
static inline int64_t k_uptime_get(void)
{
	return v8r_zephyr_uptime_ms();
}

/** The low 32 bits of k_uptime_get(). */
static inline uint32_t k_uptime_get_32(void)
{
	return (uint32_t)k_uptime_get();
}

/** Hardware cycles per second of the cycle counter behind the runtime statistics (1 MHz). */
static inline uint32_t sys_clock_hw_cycles_per_sec(void)
{
	return 1000000u;
}

#ifndef CONFIG_THREAD_MAX_NAME_LEN
#define CONFIG_THREAD_MAX_NAME_LEN 32
#endif

/**
 * A thread as k_thread_foreach() shows it: a snapshot taken for the visit
 * (its id stays the same for the thread's life).
 */
struct k_thread {
	uint32_t v8r_id;
	char v8r_name[CONFIG_THREAD_MAX_NAME_LEN];
	char v8r_state[16];
	uint64_t v8r_cycles;
};

/** A thread id. */
typedef struct k_thread *k_tid_t;

/** Callback of k_thread_foreach(). */
typedef void (*k_thread_user_cb_t)(const struct k_thread *thread, void *user_data);

/** Runtime statistics of a thread (execution cycles at sys_clock_hw_cycles_per_sec()). */
typedef struct k_thread_runtime_stats {
	uint64_t execution_cycles;
	uint64_t total_cycles;
} k_thread_runtime_stats_t;

/** Call user_cb for every thread of the system (dead ones excluded). */
static inline void k_thread_foreach(k_thread_user_cb_t user_cb, void *user_data)
{
	int n = v8r_zephyr_thread_count();
	for (int i = 0; i < n; i++) {
		struct k_thread t;
		if (v8r_zephyr_thread_info(i, &t.v8r_id, t.v8r_name, sizeof t.v8r_name, t.v8r_state, sizeof t.v8r_state, &t.v8r_cycles) == 0)
			user_cb(&t, user_data);
	}
}

/** The thread's name. */
static inline const char *k_thread_name_get(const struct k_thread *thread)
{
	return thread->v8r_name;
}

/** The thread's state as Zephyr names it ("running", "ready", "pending", "sleeping", ...), copied into buf. */
static inline const char *k_thread_state_str(const struct k_thread *thread, char *buf, size_t buf_size)
{
	if (buf && buf_size) {
		strncpy(buf, thread->v8r_state, buf_size - 1);
		buf[buf_size - 1] = '\0';
	}
	return buf;
}

/** The thread's runtime statistics. 0, or -22 (EINVAL) without a thread. */
static inline int k_thread_runtime_stats_get(const struct k_thread *thread, k_thread_runtime_stats_t *stats)
{
	if (!thread || !stats)
		return -22;
	stats->execution_cycles = stats->total_cycles = thread->v8r_cycles;
	return 0;
}

/** Statistics of a heap (sys_heap_runtime_stats_get). */
struct sys_memory_stats {
	size_t free_bytes;
	size_t allocated_bytes;
	size_t max_allocated_bytes;
};

/** A heap; the system heap (k_malloc's) is _system_heap. */
struct sys_heap {
	int v8r_system;
};

__attribute__((unused)) static struct sys_heap _system_heap = { 1 };

/** The statistics of the system heap. 0, or -22 (EINVAL) for another heap. */
static inline int sys_heap_runtime_stats_get(struct sys_heap *heap, struct sys_memory_stats *stats)
{
	if (!heap || !heap->v8r_system || !stats)
		return -22;
	uint32_t f, a, m;
	v8r_zephyr_heap_stats(&f, &a, &m);
	stats->free_bytes = f;
	stats->allocated_bytes = a;
	stats->max_allocated_bytes = m;
	return 0;
}

/** Print on the console (printf format). */
__attribute__((format(printf, 1, 2))) static inline void printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		v8r_zephyr_console(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

#endif
