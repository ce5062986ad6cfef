/* v8r libmetal: C11 atomics (libmetal's <metal/atomic.h> maps to <stdatomic.h> with a C11 compiler). */
#ifndef __METAL_ATOMIC__H__
#define __METAL_ATOMIC__H__

#include <stdatomic.h>

#endif /* __METAL_ATOMIC__H__ */
