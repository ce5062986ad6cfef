/*
 * Test program: builds a history from the operations given as arguments and
 * renders the page and its JSON, which the TypeScript test compares with
 * renderStatusPage / renderStatusJson of the same history:
 *
 *   s:MS:HEX   a message on rpmsg-demo received at MS (validated: a sample or a malformed message)
 *   l:HEX      the link state (UTF-8, hex)
 *   r:NOW      print {"html":...,"json":...} rendered at NOW
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
			status_page_render(&html, &h, strtod(a + 2, NULL), 1);
			status_json_render(&json, &h);
			rd_buf_str(&out, "{\"html\":");
			rd_js_json_string(&out, rd_buf_cstr(&html), html.len);
			rd_buf_str(&out, ",\"json\":");
			rd_js_json_string(&out, rd_buf_cstr(&json), json.len);
			rd_buf_ch(&out, '}');
			printf("%s\n", rd_buf_cstr(&out));
		} else
			return 2;
	}
	return 0;
}
