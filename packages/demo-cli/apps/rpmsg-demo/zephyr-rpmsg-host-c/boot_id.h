/*
 * The boot id of the status samples (../zephyr-rpmsg-host/boot-id.ts): 8
 * hex digits, random per boot, or from the same seeded generator as the
 * TypeScript rpmsg-host when the bootargs carry seed=N (the same seed and
 * boot time give the same id in both).
 */
#ifndef BOOT_ID_H
#define BOOT_ID_H

#include <stdint.h>

/** makeBootId(seed, salt) into out[9]; has_seed 0: a random id. */
void boot_id_make(char out[9], int has_seed, uint32_t seed, double salt);

#endif
