/*
 * v8r libmetal: mutexes, as libmetal's generic system has them (a flag taken
 * with an atomic exchange, not recursive). A v8r instance runs on one thread,
 * so a mutex is never contended there unless the same thread takes it twice.
 */
#ifndef __METAL_MUTEX__H__
#define __METAL_MUTEX__H__

#include <metal/atomic.h>
#include <metal/cpu.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	atomic_int v;
} metal_mutex_t;

#define METAL_MUTEX_INIT(m) { 0 }
#define METAL_MUTEX_DEFINE(m) metal_mutex_t m = METAL_MUTEX_INIT(m)

static inline void metal_mutex_init(metal_mutex_t *mutex)
{
	atomic_store(&mutex->v, 0);
}

static inline void metal_mutex_deinit(metal_mutex_t *mutex)
{
	(void)mutex;
}

/** Take the mutex if it is free: 1 when taken, 0 otherwise. */
static inline int metal_mutex_try_acquire(metal_mutex_t *mutex)
{
	return atomic_exchange(&mutex->v, 1) == 0;
}

static inline void metal_mutex_acquire(metal_mutex_t *mutex)
{
	while (!metal_mutex_try_acquire(mutex))
		metal_cpu_yield();
}

static inline void metal_mutex_release(metal_mutex_t *mutex)
{
	atomic_store(&mutex->v, 0);
}

static inline int metal_mutex_is_acquired(metal_mutex_t *mutex)
{
	return atomic_load(&mutex->v);
}

#ifdef __cplusplus
}
#endif

#endif /* __METAL_MUTEX__H__ */
