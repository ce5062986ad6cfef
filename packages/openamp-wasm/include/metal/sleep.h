/* v8r libmetal: sleeping. */
#ifndef __METAL_SLEEP__H__
#define __METAL_SLEEP__H__

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Sleep for usec microseconds; returns 0. A real sleep where the thread may
 * block (a Worker: Atomics.wait on a private cell; natively nanosleep), a
 * yield where it may not (a browser's main thread).
 */
int metal_sleep_usec(unsigned int usec);

/** Give way for a moment without sleeping (what a busy-wait loop calls each round). */
void metal_yield(void);

#ifdef __cplusplus
}
#endif

#endif /* __METAL_SLEEP__H__ */
