/* The boot id: see boot_id.h. */
#define _DEFAULT_SOURCE /* arc4random */
#include "boot_id.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* seededRandom(seed)(): the first value of boot-id.ts's xorshift32 over a mixed seed. */
static uint32_t seeded_first(uint32_t seed)
{
	uint32_t state = (seed ^ 0x9e3779b9u) * 0x85ebca6bu;
	if (state == 0)
		state = 0x6d2b79f5u;
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

/* JavaScript's ToUint32 of a number (salt >>> 0). */
static uint32_t to_uint32(double x)
{
	if (!isfinite(x))
		return 0;
	double t = trunc(x);
	double m = fmod(t, 4294967296.0);
	if (m < 0)
		m += 4294967296.0;
	return (uint32_t)m;
}

void boot_id_make(char out[9], int has_seed, uint32_t seed, double salt)
{
	uint32_t value;
	if (has_seed)
		value = seeded_first(seed ^ (to_uint32(salt) * 0x9e3779b1u));
	else
		value = arc4random();
	snprintf(out, 9, "%08x", value);
}
