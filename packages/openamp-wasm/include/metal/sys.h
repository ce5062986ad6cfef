/*
 * v8r libmetal subset: system init, logging, allocation, sleeping, irq.
 * Written for v8r from the libmetal public API description.
 */
#ifndef METAL_SYS_H
#define METAL_SYS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Log levels, as libmetal numbers them. */
enum metal_log_level {
	METAL_LOG_EMERGENCY,
	METAL_LOG_ALERT,
	METAL_LOG_CRITICAL,
	METAL_LOG_ERROR,
	METAL_LOG_WARNING,
	METAL_LOG_NOTICE,
	METAL_LOG_INFO,
	METAL_LOG_DEBUG,
};

/** Log handler type. */
typedef void (*metal_log_handler)(enum metal_log_level level, const char *format, ...);

/** Parameters of metal_init(). */
struct metal_init_params {
	metal_log_handler log_handler;
	enum metal_log_level log_level;
};

/** Default parameters (log to the platform at INFO). */
#define METAL_INIT_DEFAULTS { .log_handler = NULL, .log_level = METAL_LOG_INFO }

int metal_init(const struct metal_init_params *params);
void metal_finish(void);

#ifdef __cplusplus
}
#endif

#endif
