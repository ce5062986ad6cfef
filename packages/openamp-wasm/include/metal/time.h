/* v8r libmetal: time. */
#ifndef __METAL_TIME__H__
#define __METAL_TIME__H__

#include <stdint.h>
#include <metal/sys.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Monotonic timestamp in nanoseconds (the platform clock: the device's clock in v8r, virtual time included). */
unsigned long long metal_get_timestamp(void);

#ifdef __cplusplus
}
#endif

#endif /* __METAL_TIME__H__ */
