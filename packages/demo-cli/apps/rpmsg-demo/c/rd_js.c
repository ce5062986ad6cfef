/* rd_js: see rd_js.h. */
#include "rd_js.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shortest decimal digits of x > 0 that read back as x (the closest when several): digits and the exponent n of ES's Number::toString (x = 0.d1d2... * 10^n). */
static size_t shortest_digits(double x, char digits[24], int *n)
{
	char tmp[40];
	for (int p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
		if (strtod(tmp, NULL) == x || p == 17)
			break;
	}
	size_t k = 0;
	const char *c = tmp;
	for (; *c && *c != 'e'; c++)
		if (*c >= '0' && *c <= '9')
			digits[k++] = *c;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	*n = (*c == 'e' ? atoi(c + 1) : 0) + 1;
	return k;
}

static void zeros(struct rd_buf *out, int count)
{
	for (int i = 0; i < count; i++)
		rd_buf_ch(out, '0');
}

/* The digits of the integer 0 <= n < 2^53 with a point before the last `decimals` of them (at least one digit before it). */
static void add_scaled(struct rd_buf *out, double n, int decimals)
{
	char d[24];
	int len = 0;
	for (unsigned long long v = (unsigned long long)n; v; v /= 10)
		d[len++] = (char)('0' + v % 10);
	while (len <= decimals)
		d[len++] = '0';
	for (int i = len - 1; i >= 0; i--) {
		rd_buf_ch(out, d[i]);
		if (i == decimals && decimals > 0)
			rd_buf_ch(out, '.');
	}
}

/*
 * The common case without printf: 1e-6 <= x < 2^53 that reads back from at
 * most 6 decimals. The fewest decimals k with round(x * 10^k) / 10^k == x
 * give the shortest digits (y / 10^k and the text y e-k round to the same
 * double, and any shorter text has fewer decimals); when y - 1 or y + 1
 * also read back as x, ES picks the closest, which the general path does.
 * Returns 0 when it does not apply.
 */
static int short_decimal(struct rd_buf *out, double x)
{
	static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	if (!(x >= 1e-6 && x < 9007199254740992.0))
		return 0;
	for (int k = 0; k <= 6; k++) {
		double y = nearbyint(x * pow10[k]);
		if (y >= 9007199254740992.0)
			return 0;
		if (y / pow10[k] != x)
			continue;
		if ((y - 1) / pow10[k] == x || (y + 1) / pow10[k] == x)
			return 0;
		add_scaled(out, y, k);
		return 1;
	}
	return 0;
}

void rd_js_number_or_null(struct rd_buf *out, int has, double x)
{
	if (has)
		rd_js_number(out, x);
	else
		rd_buf_str(out, "null");
}

void rd_js_number(struct rd_buf *out, double x)
{
	if (isnan(x)) {
		rd_buf_str(out, "NaN");
		return;
	}
	if (x == 0) {
		rd_buf_ch(out, '0');
		return;
	}
	if (x < 0) {
		rd_buf_ch(out, '-');
		x = -x;
	}
	if (isinf(x)) {
		rd_buf_str(out, "Infinity");
		return;
	}
	if (short_decimal(out, x))
		return;
	char d[24];
	int n;
	int k = (int)shortest_digits(x, d, &n);
	if (k <= n && n <= 21) {
		rd_buf_add(out, d, (size_t)k);
		zeros(out, n - k);
	} else if (0 < n && n <= 21) {
		rd_buf_add(out, d, (size_t)n);
		rd_buf_ch(out, '.');
		rd_buf_add(out, d + n, (size_t)(k - n));
	} else if (-6 < n && n <= 0) {
		rd_buf_str(out, "0.");
		zeros(out, -n);
		rd_buf_add(out, d, (size_t)k);
	} else {
		rd_buf_ch(out, d[0]);
		if (k > 1) {
			rd_buf_ch(out, '.');
			rd_buf_add(out, d + 1, (size_t)(k - 1));
		}
		rd_buf_printf(out, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
	}
}

/* Add one unit in the last place to the decimal text s (digits and at most one point), carrying. */
static void increment_decimal(char *s, size_t cap)
{
	size_t len = strlen(s);
	for (size_t i = len; i-- > 0;) {
		if (s[i] == '.')
			continue;
		if (s[i] != '9') {
			s[i]++;
			return;
		}
		s[i] = '0';
	}
	if (len + 1 < cap) {
		memmove(s + 1, s, len + 1);
		s[0] = '1';
	}
}

/* a * b exactly, as p + e (Dekker's product with Veltkamp's split; no overflow for the values here). */
static void two_product(double a, double b, double *p, double *e)
{
	const double split = 134217729.0; /* 2^27 + 1 */
	*p = a * b;
	double t = split * a, ah = t - (t - a), al = a - ah;
	t = split * b;
	double bh = t - (t - b), bl = b - bh;
	*e = ((ah * bh - *p) + ah * bl + al * bh) + al * bl;
}

/*
 * toFixed without printf for 0 <= x with x * 10^digits < 2^52 and digits
 * <= 6: n = round(x * 10^digits) from the exact product, unless x * 10^digits
 * lies near a half (there toFixed's "the larger n" needs the general path).
 * Returns 0 when it does not apply.
 */
static int short_fixed(struct rd_buf *out, double x, int digits)
{
	static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	if (digits < 0 || digits > 6)
		return 0;
	double p, e;
	two_product(x, pow10[digits], &p, &e);
	if (!(p < 4503599627370496.0))
		return 0;
	double n = nearbyint(p);
	double r = (p - n) + e;
	if (!(fabs(r) < 0.49))
		return 0;
	add_scaled(out, n, digits);
	return 1;
}

void rd_js_fixed(struct rd_buf *out, double x, int digits)
{
	if (isnan(x)) {
		rd_buf_str(out, "NaN");
		return;
	}
	if (x < 0) {
		rd_buf_ch(out, '-');
		x = -x;
	}
	if (x >= 1e21) {
		rd_js_number(out, x);
		return;
	}
	if (x == 0)
		x = 0; /* -0 prints as 0 */
	if (short_fixed(out, x, digits))
		return;
	char s[64];
	snprintf(s, sizeof s, "%.*f", digits, x);
	/* printf rounds an exact half to even; toFixed picks the larger n */
	double scaled = ldexp(x, digits + 1);
	if (scaled < 9007199254740992.0 && scaled == floor(scaled) && fmod(scaled, 2.0) == 1.0 && strtod(s, NULL) < x)
		increment_decimal(s, sizeof s);
	rd_buf_str(out, s);
}

double rd_js_round(double x)
{
	if (!isfinite(x))
		return x;
	double r = floor(x);
	if (x - r >= 0.5)
		r += 1;
	return r;
}

int rd_js_is_safe_integer(double x)
{
	return isfinite(x) && x == trunc(x) && fabs(x) <= 9007199254740991.0;
}

/* The code point at s (WTF-8, len > 0) and its size; an invalid byte reads as itself with size 1. */
static unsigned decode(const unsigned char *s, size_t len, size_t *size)
{
	unsigned c = s[0];
	size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (n > len)
		n = 1;
	if (n == 1) {
		*size = 1;
		return c;
	}
	unsigned cp = c & (0x7f >> n);
	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	*size = n;
	return cp;
}

static int is_surrogate(unsigned cp)
{
	return cp >= 0xd800 && cp <= 0xdfff;
}

void rd_js_json_string(struct rd_buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	rd_buf_ch(out, '"');
	size_t i = 0;
	while (i < len) {
		size_t size;
		unsigned cp = decode(u + i, len - i, &size);
		switch (cp) {
		case '"': rd_buf_str(out, "\\\""); break;
		case '\\': rd_buf_str(out, "\\\\"); break;
		case '\b': rd_buf_str(out, "\\b"); break;
		case '\f': rd_buf_str(out, "\\f"); break;
		case '\n': rd_buf_str(out, "\\n"); break;
		case '\r': rd_buf_str(out, "\\r"); break;
		case '\t': rd_buf_str(out, "\\t"); break;
		default:
			if (cp < 0x20 || is_surrogate(cp))
				rd_buf_printf(out, "\\u%04x", cp);
			else
				rd_buf_add(out, u + i, size);
		}
		i += size;
	}
	rd_buf_ch(out, '"');
}

void rd_js_json_cstr(struct rd_buf *out, const char *s)
{
	rd_js_json_string(out, s, strlen(s));
}

void rd_js_html(struct rd_buf *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t size;
		unsigned cp = decode(u + i, len - i, &size);
		switch (cp) {
		case '&': rd_buf_str(out, "&amp;"); break;
		case '<': rd_buf_str(out, "&lt;"); break;
		case '>': rd_buf_str(out, "&gt;"); break;
		case '"': rd_buf_str(out, "&quot;"); break;
		case '\'': rd_buf_str(out, "&#39;"); break;
		default:
			if (is_surrogate(cp))
				rd_buf_str(out, "\xef\xbf\xbd");
			else
				rd_buf_add(out, u + i, size);
		}
		i += size;
	}
}

void rd_js_html_cstr(struct rd_buf *out, const char *s)
{
	rd_js_html(out, s, strlen(s));
}

size_t rd_js_utf16_len(const char *s, size_t len)
{
	size_t units = 0;
	for (size_t i = 0; i < len;) {
		size_t size;
		unsigned cp = decode((const unsigned char *)s + i, len - i, &size);
		units += cp >= 0x10000 ? 2 : 1;
		i += size;
	}
	return units;
}

void rd_js_utf16_prefix(struct rd_buf *out, const char *s, size_t len, size_t units)
{
	size_t i = 0, taken = 0;
	while (i < len && taken < units) {
		size_t size;
		unsigned cp = decode((const unsigned char *)s + i, len - i, &size);
		if (cp >= 0x10000 && taken + 2 > units) {
			unsigned hi = 0xd800 + ((cp - 0x10000) >> 10);
			char w[3] = { (char)(0xe0 | (hi >> 12)), (char)(0x80 | ((hi >> 6) & 0x3f)), (char)(0x80 | (hi & 0x3f)) };
			rd_buf_add(out, w, 3);
			return;
		}
		rd_buf_add(out, s + i, size);
		taken += cp >= 0x10000 ? 2 : 1;
		i += size;
	}
}
