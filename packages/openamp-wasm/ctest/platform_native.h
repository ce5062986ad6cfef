#ifndef V8R_PLATFORM_NATIVE_H
#define V8R_PLATFORM_NATIVE_H
#include <stddef.h>
extern unsigned char *native_shm;
extern size_t native_shm_size;
extern unsigned long native_faults;
#endif
