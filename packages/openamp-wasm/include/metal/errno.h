/* v8r libmetal: error numbers (the C library's errno values, returned negated). */
#ifndef __METAL_ERRNO__H__
#define __METAL_ERRNO__H__

#include <errno.h>

#endif /* __METAL_ERRNO__H__ */
