/*
 * v8r libmetal: logging, with libmetal's names. Nothing is logged until
 * metal_init() installs a handler (or metal_set_log_handler() does).
 */
#ifndef __METAL_METAL_LOG__H__
#define __METAL_METAL_LOG__H__

#ifdef __cplusplus
extern "C" {
#endif

/** Log message priority levels. */
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

/** Log message handler. */
typedef void (*metal_log_handler)(enum metal_log_level level, const char *format, ...);

void metal_set_log_handler(metal_log_handler handler);
metal_log_handler metal_get_log_handler(void);
void metal_set_log_level(enum metal_log_level level);
enum metal_log_level metal_get_log_level(void);

/** The default handler: formats the message and hands it to the platform (the v8r_env.log import; stderr natively). */
void metal_default_log_handler(enum metal_log_level level, const char *format, ...);

/*
 * The format a message is emitted with: as given, or, when the program
 * defines ML_FUNC_LINE before including this header, after the calling
 * function's name and line ("%s:%u "), as libmetal does. The format must
 * then be a string literal.
 */
#if defined(ML_FUNC_LINE)
#define metal_fmt(fmt) "%s:%u " fmt, __func__, __LINE__
#else
#define metal_fmt(fmt) fmt
#endif

/** Emit a log message when level is at or above the current level and a handler is set. */
#define metal_log(level, fmt, ...)                                                         \
	(((level) <= metal_get_log_level() && metal_get_log_handler())                     \
		 ? (void)metal_get_log_handler()((level), metal_fmt(fmt), ##__VA_ARGS__)   \
		 : (void)0)

#define metal_err(...) metal_log(METAL_LOG_ERROR, __VA_ARGS__)
#define metal_warn(...) metal_log(METAL_LOG_WARNING, __VA_ARGS__)
#define metal_info(...) metal_log(METAL_LOG_INFO, __VA_ARGS__)
#define metal_dbg(...) metal_log(METAL_LOG_DEBUG, __VA_ARGS__)

/* libmetal's older names for the same messages, still used by OpenAMP code of that time. */
#ifndef ML_ERR
#define ML_ERR(...) metal_err(__VA_ARGS__)
#endif
#ifndef ML_INFO
#define ML_INFO(...) metal_info(__VA_ARGS__)
#endif
#ifndef ML_DBG
#define ML_DBG(...) metal_dbg(__VA_ARGS__)
#endif

#ifdef __cplusplus
}
#endif

#endif /* __METAL_METAL_LOG__H__ */
