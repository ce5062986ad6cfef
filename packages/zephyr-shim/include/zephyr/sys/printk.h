/* zephyr/sys/printk.h for C programs on v8r's Zephyr: printk is in zephyr/kernel.h. */
#include <zephyr/kernel.h>
