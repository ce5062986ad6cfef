/*
 * Test program: builds a history from the operations given as arguments and
 * renders the page and its JSON, which the TypeScript test compares with
 * renderStatusPage / renderStatusJson of the same history:
 *
 *   s:MS:HEX   a message on rpmsg-demo received at MS (validated: a sample or a malformed message)
 *   l:HEX      the link state (UTF-8, hex)
 *   r:NOW      print {"html":...,"json":...} rendered at NOW
 *   gen:N      N generated samples over two boots with gaps, then a render (for the native sanitizer run)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../history.h"
#include "../status_page.h"
#include "rd_js.h"

static size_t unhex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	while (s[0] && s[1] && n < cap) {
		unsigned v;
		sscanf(s, "%2x", &v);
		out[n++] = (unsigned char)v;
		s += 2;
	}
	return n;
}

int main(int argc, char **argv)
{
	static struct history h;
	static struct rd_sample s;
	static unsigned char b[2048];
	history_init(&h);
	struct rd_buf html = { 0 }, json = { 0 }, out = { 0 }, why = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == 's') {
			char *end;
			double ms = strtod(a + 2, &end);
			size_t n = unhex(end + 1, b, sizeof b);
			rd_buf_reset(&why);
			if (rd_status_parse(b, n, &s, &why) == RD_REJECT_NONE) {
				double lost;
				char prev[9];
				history_add(&h, &s, ms, &lost, prev);
			} else
				history_malformed(&h);
		} else if (a[0] == 'l') {
			size_t n = unhex(a + 2, b, sizeof b - 1);
			b[n] = '\0';
			history_set_link(&h, (const char *)b);
		} else if (a[0] == 'r') {
			rd_buf_reset(&html);
			rd_buf_reset(&json);
			rd_buf_reset(&out);
			double now = strtod(a + 2, NULL);
			status_page_render(&html, &h, now, 1);
			status_json_render(&json, &h, &now);
			rd_buf_str(&out, "{\"html\":");
			rd_js_json_string(&out, rd_buf_cstr(&html), html.len);
			rd_buf_str(&out, ",\"json\":");
			rd_js_json_string(&out, rd_buf_cstr(&json), json.len);
			rd_buf_ch(&out, '}');
			printf("%s\n", rd_buf_cstr(&out));
		} else if (a[0] == 'g') {
			long n = strtol(a + 4, NULL, 10);
			for (long k = 0; k < n; k++) {
				rd_buf_reset(&out);
				rd_buf_printf(&out, "{\"v\":1,\"seq\":%ld,\"boot\":\"%s\",\"t\":%ld,\"cpu\":%ld.5,\"thr\":[[\"t%ld<&>\",\"ready\",1]],"
					      "\"heap\":[%ld,9],\"ipc\":{\"dr\":%ld},\"per\":%ld}", (k % 170) + (k % 7 == 3), k < n / 2 ? "0000000a" : "0000000b",
					      k * 997, k % 100, k, k, k / 50, 250 + k);
				double lost;
				char prev[9];
				if (rd_status_parse((const uint8_t *)out.p, out.len, &s, &why) == RD_REJECT_NONE)
					history_add(&h, &s, (double)k * 1000, &lost, prev);
				else
					history_malformed(&h);
				if (k % 97 == 0)
					history_set_link(&h, k % 2 ? "bound" : "down <x>");
			}
			rd_buf_reset(&html);
			rd_buf_reset(&json);
			double now = (double)n * 1000;
			status_page_render(&html, &h, now, 1);
			status_json_render(&json, &h, &now);
			printf("%zu %zu\n", html.len, json.len);
		} else
			return 2;
	}
	rd_buf_free(&html);
	rd_buf_free(&json);
	rd_buf_free(&out);
	rd_buf_free(&why);
	return 0;
}
