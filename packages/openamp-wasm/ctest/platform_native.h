#ifndef V8R_PLATFORM_NATIVE_H
#define V8R_PLATFORM_NATIVE_H
#include <stddef.h>
extern unsigned char *native_shm;
extern size_t native_shm_size;
extern unsigned long native_faults;
/** Run by every metal_sleep_usec / metal_cpu_yield (where a platform would take interrupts). */
extern void (*native_yield_hook)(void);
#endif
