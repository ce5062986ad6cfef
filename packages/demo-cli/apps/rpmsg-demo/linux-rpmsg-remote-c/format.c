/* Human-readable numbers: see format.h. */
#include "format.h"

#include <math.h>
#include <string.h>
#include "rd_js.h"

static void two(struct rd_buf *out, double n)
{
	if (n < 10)
		rd_buf_ch(out, '0');
	rd_js_number(out, n);
}

void format_uptime(struct rd_buf *out, double ms)
{
	if (ms < 60000) {
		rd_js_fixed(out, ms / 1000, 1);
		rd_buf_str(out, " s");
		return;
	}
	double total = floor(ms / 1000);
	double d = floor(total / 86400);
	double h = floor(fmod(total, 86400) / 3600);
	double m = floor(fmod(total, 3600) / 60);
	double s = fmod(total, 60);
	if (d > 0) {
		rd_js_number(out, d);
		rd_buf_str(out, "d ");
		two(out, h);
		rd_buf_str(out, "h ");
		two(out, m);
		rd_buf_ch(out, 'm');
	} else if (h > 0) {
		rd_js_number(out, h);
		rd_buf_str(out, "h ");
		two(out, m);
		rd_buf_str(out, "m ");
		two(out, s);
		rd_buf_ch(out, 's');
	} else {
		rd_js_number(out, m);
		rd_buf_str(out, "m ");
		two(out, s);
		rd_buf_ch(out, 's');
	}
}

void format_bytes(struct rd_buf *out, double n)
{
	if (n < 1024) {
		rd_js_number(out, n);
		rd_buf_str(out, " B");
	} else if (n < 1024 * 1024) {
		rd_js_fixed(out, n / 1024, 1);
		rd_buf_str(out, " KiB");
	} else {
		rd_js_fixed(out, n / (1024 * 1024), 1);
		rd_buf_str(out, " MiB");
	}
}

void format_age(struct rd_buf *out, double ms)
{
	double age = ms > 0 ? ms : 0;
	if (age < 10000) {
		rd_js_fixed(out, age / 1000, 1);
		rd_buf_str(out, " s ago");
	} else if (age < 120000) {
		rd_js_number(out, rd_js_round(age / 1000));
		rd_buf_str(out, " s ago");
	} else if (age < 7200000) {
		rd_js_number(out, rd_js_round(age / 60000));
		rd_buf_str(out, " min ago");
	} else {
		rd_js_number(out, rd_js_round(age / 3600000));
		rd_buf_str(out, " h ago");
	}
}

void format_ago_label(struct rd_buf *out, double seconds, double step_seconds)
{
	if (seconds <= 0) {
		rd_buf_str(out, "now");
		return;
	}
	rd_buf_str(out, "\xe2\x88\x92"); /* U+2212 minus sign */
	if (step_seconds < 60) {
		rd_js_number(out, rd_js_round(seconds * 10) / 10);
		rd_buf_str(out, " s");
	} else if (step_seconds < 3600) {
		rd_js_number(out, rd_js_round(seconds / 60 * 10) / 10);
		rd_buf_str(out, " min");
	} else {
		rd_js_number(out, rd_js_round(seconds / 3600 * 10) / 10);
		rd_buf_str(out, " h");
	}
}

static int word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

void format_count(struct rd_buf *out, double n)
{
	/* String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f") */
	struct rd_buf s = { 0 };
	rd_js_number(&s, n);
	const char *t = rd_buf_cstr(&s);
	size_t len = strlen(t);
	for (size_t p = 0; p < len; p++) {
		if (p > 0 && word_char(t[p - 1]) == word_char(t[p])) {
			size_t k = 0;
			while (p + k < len && t[p + k] >= '0' && t[p + k] <= '9')
				k++;
			if (k >= 3 && k % 3 == 0)
				rd_buf_str(out, "\xe2\x80\xaf");
		}
		rd_buf_ch(out, t[p]);
	}
	rd_buf_free(&s);
}

void format_period(struct rd_buf *out, double ms)
{
	if (fmod(ms, 1000) == 0) {
		rd_js_number(out, ms / 1000);
		rd_buf_str(out, " s");
	} else {
		rd_js_number(out, ms);
		rd_buf_str(out, " ms");
	}
}
