/*
 * rd_js: JavaScript's formatting of numbers and strings, to the byte, so text
 * the C apps write (messages, the status page and its JSON twin) is the text
 * the TypeScript apps write: Number.prototype.toString, toFixed, Math.round,
 * JSON.stringify of a string, the page's HTML escaping, and UTF-16 lengths
 * and slices of WTF-8 text (see rd_json.h).
 */
#ifndef RD_JS_H
#define RD_JS_H

#include <stddef.h>
#include "rd_buf.h"

/** Append String(x). */
void rd_js_number(struct rd_buf *out, double x);
/** Append String(x) when `has`, else `null` (a JSON number that may be missing). */
void rd_js_number_or_null(struct rd_buf *out, int has, double x);
/** Append x.toFixed(digits) (digits 0..20). */
void rd_js_fixed(struct rd_buf *out, double x, int digits);
/** Math.round(x). */
double rd_js_round(double x);
/** Number.isSafeInteger(x). */
int rd_js_is_safe_integer(double x);
/** Append JSON.stringify(s) of WTF-8 text s (quotes included). */
void rd_js_json_string(struct rd_buf *out, const char *s, size_t len);
/** Append the same for a NUL-terminated string. */
void rd_js_json_cstr(struct rd_buf *out, const char *s);
/** Append the status page's escapeHtml(s) of WTF-8 text, encoded as TextEncoder does (an unpaired surrogate becomes U+FFFD). */
void rd_js_html(struct rd_buf *out, const char *s, size_t len);
/** The same for a NUL-terminated string. */
void rd_js_html_cstr(struct rd_buf *out, const char *s);
/** The length of WTF-8 text in UTF-16 code units (a JavaScript string's length). */
size_t rd_js_utf16_len(const char *s, size_t len);
/**
 * Append s.slice(0, units) of WTF-8 text: when the cut falls inside a
 * character outside the BMP, its high surrogate is kept alone (as WTF-8).
 */
void rd_js_utf16_prefix(struct rd_buf *out, const char *s, size_t len, size_t units);

#endif
