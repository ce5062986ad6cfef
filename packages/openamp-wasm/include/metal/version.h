/* v8r libmetal: the libmetal API version this implementation follows. */
#ifndef __METAL_VERSION__H__
#define __METAL_VERSION__H__

#ifdef __cplusplus
extern "C" {
#endif

#define METAL_VER_MAJOR 1
#define METAL_VER_MINOR 10
#define METAL_VER_PATCH 0
#define METAL_VER "1.10.0"

int metal_ver_major(void);
int metal_ver_minor(void);
int metal_ver_patch(void);
const char *metal_ver(void);

#ifdef __cplusplus
}
#endif

#endif /* __METAL_VERSION__H__ */
