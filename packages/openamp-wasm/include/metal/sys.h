/* v8r libmetal: system types and init. */
#ifndef __METAL_SYS__H__
#define __METAL_SYS__H__

#include <stdlib.h>
#include <metal/list.h>
#include <metal/log.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Physical address (unsigned long, as libmetal: 32 bits on wasm32). */
typedef unsigned long metal_phys_addr_t;

/** Interrupt request number. */
typedef int metal_irq_t;

#define METAL_BAD_OFFSET ((unsigned long)-1)
#define METAL_BAD_PHYS ((metal_phys_addr_t)-1)
#define METAL_BAD_VA ((void *)-1)
#define METAL_BAD_IRQ ((metal_irq_t)-1)

/** Parameters of metal_init(). */
struct metal_init_params {
	metal_log_handler log_handler;
	enum metal_log_level log_level;
};

#define METAL_INIT_DEFAULTS                          \
	{                                            \
		.log_handler = metal_default_log_handler, \
		.log_level = METAL_LOG_INFO,         \
	}

/** Initialise libmetal (log handler and level); 0 on success. */
int metal_init(const struct metal_init_params *params);
void metal_finish(void);

#ifdef __cplusplus
}
#endif

#endif /* __METAL_SYS__H__ */
