/*
 * zephyr/debug/cpu_load.h for C programs on v8r's Zephyr: the CPU load of
 * Zephyr's cpu_load subsystem, measured by the platform on the domain's vCPU.
 */
#ifndef V8R_ZEPHYR_CPU_LOAD_H
#define V8R_ZEPHYR_CPU_LOAD_H

#include <zephyr/kernel.h>

/** The vCPU's load since the last reset (or boot), in per mille; reset starts a new measurement. */
static inline int cpu_load_get(bool reset)
{
	return v8r_zephyr_cpu_load(reset ? 1 : 0);
}

#endif
