/*
 * v8r libmetal: condition variables (libmetal's generic ones: a wake-up
 * counter the waiter watches, yielding, after releasing its mutex).
 */
#ifndef __METAL_CONDITION__H__
#define __METAL_CONDITION__H__

#include <stdint.h>
#include <metal/atomic.h>
#include <metal/errno.h>
#include <metal/mutex.h>

#ifdef __cplusplus
extern "C" {
#endif

struct metal_condition {
	atomic_uintptr_t mptr; /* the mutex waiters use, 0 until the first wait */
	atomic_int v;          /* bumped by every signal */
};

#define METAL_CONDITION_INIT { 0, 0 }

static inline void metal_condition_init(struct metal_condition *cv)
{
	atomic_init(&cv->mptr, 0);
	atomic_init(&cv->v, 0);
}

/** Wake the waiters (the caller should hold the mutex); 0, or -EINVAL. */
static inline int metal_condition_signal(struct metal_condition *cv)
{
	if (!cv)
		return -EINVAL;
	atomic_fetch_add(&cv->v, 1);
	return 0;
}

static inline int metal_condition_broadcast(struct metal_condition *cv)
{
	return metal_condition_signal(cv);
}

/**
 * Release m, wait until the condition is signalled, take m again. m must be
 * held and always the same mutex for cv; -EINVAL otherwise.
 */
int metal_condition_wait(struct metal_condition *cv, metal_mutex_t *m);

#ifdef __cplusplus
}
#endif

#endif /* __METAL_CONDITION__H__ */
