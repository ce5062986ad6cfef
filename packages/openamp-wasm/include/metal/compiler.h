/*
 * v8r libmetal: compiler helpers (GCC and clang), as libmetal's
 * <metal/compiler.h> names them.
 */
#ifndef __METAL_COMPILER__H__
#define __METAL_COMPILER__H__

/** Start and end of a packed structure: `METAL_PACKED_BEGIN struct x {...} METAL_PACKED_END;`. */
#define METAL_PACKED_BEGIN
#define METAL_PACKED_END __attribute__((__packed__))

/** A definition the application may replace with its own (a weak symbol). */
#define metal_weak __attribute__((weak))

/** Align a variable or type to n bytes. */
#define metal_align(n) __attribute__((aligned(n)))

#ifndef __deprecated
/** Warn at each use of the declaration that follows. */
#define __deprecated __attribute__((deprecated))
#endif

#ifdef __cplusplus
#define restrict __restrict__
#endif

#endif /* __METAL_COMPILER__H__ */
