/* v8r libmetal subset: mutexes. Each v8r device runs on one thread (one wasm
 * instance per device), so these only track state. */
#ifndef METAL_MUTEX_H
#define METAL_MUTEX_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int locked;
} metal_mutex_t;

static inline void metal_mutex_init(metal_mutex_t *m) { m->locked = 0; }
static inline void metal_mutex_deinit(metal_mutex_t *m) { m->locked = 0; }
static inline void metal_mutex_acquire(metal_mutex_t *m) { m->locked++; }
static inline void metal_mutex_release(metal_mutex_t *m) { m->locked--; }
static inline int metal_mutex_is_acquired(metal_mutex_t *m) { return m->locked > 0; }

#ifdef __cplusplus
}
#endif

#endif
