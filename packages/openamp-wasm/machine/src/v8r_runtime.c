/*
 * v8r program runtime, linked into every program v8r-cc builds:
 *
 * - the buffer Asyncify saves a suspended program's call stack in (the
 *   program suspends in a blocking import when its thread must not block);
 * - the watchdog: v8r-cc instruments the program's own code with
 *   -fsanitize-coverage=bb,trace-pc, so every basic block it runs calls
 *   __sanitizer_cov_trace_pc(); every 65536 blocks this asks the host, which
 *   stops a program that ran too long without waiting (one that would hold a
 *   single-threaded scheduler forever).
 *
 * This file is built without that instrumentation (it would call itself).
 */
#include <stdint.h>

#define V8R_RT_EXPORT(name) __attribute__((export_name(#name)))

/* Asyncify's data: {current, end} then the saved stack. */
#define ASYNCIFY_BYTES 65536u
static uint32_t asyncify_data[ASYNCIFY_BYTES / 4u] __attribute__((aligned(16)));

/** The address of a fresh Asyncify data block (the host calls it before each suspension). */
V8R_RT_EXPORT(v8r_asyncify_data)
void *v8r_asyncify_data(void)
{
	asyncify_data[0] = (uint32_t)(uintptr_t)&asyncify_data[2];
	asyncify_data[1] = (uint32_t)(uintptr_t)&asyncify_data[ASYNCIFY_BYTES / 4u];
	return asyncify_data;
}

__attribute__((import_module("v8r_port"), import_name("watchdog"))) void v8r_port_watchdog(void);

static uint32_t blocks;

void __sanitizer_cov_trace_pc(void)
{
	if (++blocks == 65536u) {
		blocks = 0;
		v8r_port_watchdog();
	}
}
