/* v8r libmetal: assertions. */
#ifndef __METAL_ASSERT__H__
#define __METAL_ASSERT__H__

#include <assert.h>

/** Abort (in debug builds) when cond is false. */
#define metal_assert(cond) assert(cond)

#endif /* __METAL_ASSERT__H__ */
