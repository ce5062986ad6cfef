/* v8r libmetal: CPU primitives. */
#ifndef __METAL_CPU__H__
#define __METAL_CPU__H__

#ifdef __cplusplus
extern "C" {
#endif

/** Let someone else run: returns at once (there is no other thread in a v8r instance to give way to). */
void metal_cpu_yield(void);

#ifdef __cplusplus
}
#endif

#endif /* __METAL_CPU__H__ */
