/* v8r libmetal subset: memory allocation. */
#ifndef METAL_ALLOC_H
#define METAL_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *metal_allocate_memory(unsigned int size);
void metal_free_memory(void *ptr);

#ifdef __cplusplus
}
#endif

#endif
