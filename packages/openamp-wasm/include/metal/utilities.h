/* v8r libmetal subset: small helpers. */
#ifndef METAL_UTILITIES_H
#define METAL_UTILITIES_H

#include <stdint.h>

#define metal_align_down(size, align) ((size) & ~((align) - 1))
#define metal_align_up(size, align) metal_align_down((size) + (align) - 1, align)
#define metal_div_round_up(num, den) (((num) + (den) - 1) / (den))
#define metal_bitmap_longs(x) metal_div_round_up((x), (sizeof(unsigned long) * 8))
#define metal_dim(x) (sizeof(x) / sizeof((x)[0]))
#define metal_min(x, y) ((x) < (y) ? (x) : (y))
#define metal_max(x, y) ((x) > (y) ? (x) : (y))

static inline void metal_bitmap_set_bit(unsigned long *bitmap, int bit)
{
	bitmap[bit / (sizeof(unsigned long) * 8)] |= 1UL << (bit % (sizeof(unsigned long) * 8));
}

static inline int metal_bitmap_is_bit_set(const unsigned long *bitmap, int bit)
{
	return (bitmap[bit / (sizeof(unsigned long) * 8)] >> (bit % (sizeof(unsigned long) * 8))) & 1UL;
}

static inline void metal_bitmap_clear_bit(unsigned long *bitmap, int bit)
{
	bitmap[bit / (sizeof(unsigned long) * 8)] &= ~(1UL << (bit % (sizeof(unsigned long) * 8)));
}

#endif
