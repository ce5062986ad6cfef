/*
 * v8r libmetal: data cache maintenance. Shared memory in v8r is coherent
 * (as on coherent hardware), so both are no-ops; they do not synchronise a
 * region's linear-memory mirror either (see the package README's pointer rule).
 */
#ifndef __METAL_CACHE__H__
#define __METAL_CACHE__H__

#ifdef __cplusplus
extern "C" {
#endif

static inline void metal_cache_flush(void *addr, unsigned int len)
{
	(void)addr;
	(void)len;
}

static inline void metal_cache_invalidate(void *addr, unsigned int len)
{
	(void)addr;
	(void)len;
}

#ifdef __cplusplus
}
#endif

#endif /* __METAL_CACHE__H__ */
