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

/*
 * Asyncify's data block: {current, end} then the saved stack. v8r-cc exports
 * both symbols as globals holding their addresses (--export); the host writes
 * the header before each suspension. (Not a function: a WASI command runs the
 * C constructors again at every call of an exported function.)
 */
#define ASYNCIFY_BYTES 65536u
uint32_t v8r_asyncify_buf[ASYNCIFY_BYTES / 4u] __attribute__((aligned(16)));
const uint32_t v8r_asyncify_size = ASYNCIFY_BYTES;

__attribute__((import_module("v8r_port"), import_name("watchdog"))) void v8r_port_watchdog(void);

static uint32_t blocks;

void __sanitizer_cov_trace_pc(void)
{
	if (++blocks == 65536u) {
		blocks = 0;
		v8r_port_watchdog();
	}
}
