/* v8r libmetal subset: sleeping. */
#ifndef METAL_SLEEP_H
#define METAL_SLEEP_H

#ifdef __cplusplus
extern "C" {
#endif

/** Sleep (or yield) for about usec microseconds; returns 0. */
int metal_sleep_usec(unsigned int usec);

/** Give the CPU to someone else for a moment. */
void metal_cpu_yield(void);

#ifdef __cplusplus
}
#endif

#endif
