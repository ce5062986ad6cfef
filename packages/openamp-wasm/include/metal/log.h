/* v8r libmetal subset: logging. */
#ifndef METAL_LOG_H
#define METAL_LOG_H

#include <metal/sys.h>

#ifdef __cplusplus
extern "C" {
#endif

void metal_set_log_handler(metal_log_handler handler);
metal_log_handler metal_get_log_handler(void);
void metal_set_log_level(enum metal_log_level level);
enum metal_log_level metal_get_log_level(void);
/** The default handler: formats the message and hands it to the platform. */
void metal_default_log_handler(enum metal_log_level level, const char *format, ...);

/** Log a message when level is at or above the current log level. */
#define metal_log(level, ...)                                          \
	do {                                                           \
		metal_log_handler h_ = metal_get_log_handler();        \
		if (h_ && (level) <= metal_get_log_level())            \
			h_((level), __VA_ARGS__);                      \
	} while (0)

#ifdef __cplusplus
}
#endif

#endif
