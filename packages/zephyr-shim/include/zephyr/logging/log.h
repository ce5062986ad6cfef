/*
 * zephyr/logging/log.h for C programs on v8r's Zephyr: LOG_MODULE_REGISTER
 * and LOG_ERR/WRN/INF/DBG, printed by zephyr-shim's logger in Zephyr's
 * format ("[00:00:01.234,000] <inf> module: message"). A message above the
 * module's level is dropped here, as Zephyr compiles it out.
 */
#ifndef V8R_ZEPHYR_LOG_H
#define V8R_ZEPHYR_LOG_H

#include <zephyr/kernel.h>

#define LOG_LEVEL_NONE 0
#define LOG_LEVEL_ERR 1
#define LOG_LEVEL_WRN 2
#define LOG_LEVEL_INF 3
#define LOG_LEVEL_DBG 4

#ifndef CONFIG_LOG_DEFAULT_LEVEL
#define CONFIG_LOG_DEFAULT_LEVEL LOG_LEVEL_INF
#endif

#define V8R_LOG_PICK_(_1, _2, name, ...) name
#define V8R_LOG_REGISTER_1_(name) V8R_LOG_REGISTER_2_(name, CONFIG_LOG_DEFAULT_LEVEL)
#define V8R_LOG_REGISTER_2_(name, level)                                                   \
	__attribute__((unused)) static const char v8r_log_module_name[] = #name;          \
	__attribute__((unused)) static const int v8r_log_module_level = (level)

/** Register this file's log module: LOG_MODULE_REGISTER(name) or LOG_MODULE_REGISTER(name, level). */
#define LOG_MODULE_REGISTER(...) V8R_LOG_PICK_(__VA_ARGS__, V8R_LOG_REGISTER_2_, V8R_LOG_REGISTER_1_, 0)(__VA_ARGS__)

__attribute__((format(printf, 3, 4))) static inline void v8r_log(int level, const char *module, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n >= 0)
		v8r_zephyr_log(level, module, strlen(module), buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

#define V8R_LOG_(level, ...)                                                  \
	do {                                                                  \
		if ((level) <= v8r_log_module_level)                          \
			v8r_log((level), v8r_log_module_name, __VA_ARGS__);   \
	} while (0)

#define LOG_ERR(...) V8R_LOG_(LOG_LEVEL_ERR, __VA_ARGS__)
#define LOG_WRN(...) V8R_LOG_(LOG_LEVEL_WRN, __VA_ARGS__)
#define LOG_INF(...) V8R_LOG_(LOG_LEVEL_INF, __VA_ARGS__)
#define LOG_DBG(...) V8R_LOG_(LOG_LEVEL_DBG, __VA_ARGS__)

#endif
