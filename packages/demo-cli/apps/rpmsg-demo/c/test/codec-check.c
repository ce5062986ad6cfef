/*
 * Test program: runs the C codec on inputs given as arguments and prints
 * one JSON line per input, in the form the TypeScript test compares with
 * the TypeScript codec's answer to the same input:
 *
 *   parse:HEX     {"ok":true,"sample":...} or {"ok":false,"code":...,"reason":...}
 *   serve:HEX     the reply to the command (ping t=1500, period per=ms, sample seq=42, others t=7)
 *   reply:HEX     the parsed reply as JSON, or null when it is not one
 *   encode:HEX    facts as JSON (ZephyrFacts) -> {"dropped":n,"text":...} or {"error":...}
 *   num:HEX16     a double (little-endian bytes) -> [String(x), x.toFixed(0), x.toFixed(1), Math.round(x)]
 *   fuzz:SEED:N   N random inputs, byte strings and text of JSON's characters, through parse, serve and
 *                 reply (output: one line with N; for the native sanitizer run, test-c.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../rd_ctrl.h"
#include "../rd_js.h"
#include "../rd_json.h"
#include "../rd_status.h"

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

static void handler(void *ctx, enum rd_cmd cmd, const double *args, double *results)
{
	(void)ctx;
	switch (cmd) {
	case RD_CMD_PING: results[0] = 1500; break;
	case RD_CMD_PERIOD: results[0] = args[0]; break;
	case RD_CMD_SAMPLE: results[0] = 42; break;
	default: results[0] = 7; break;
	}
}

static void parse(const unsigned char *b, size_t n, struct rd_buf *out)
{
	static struct rd_sample s;
	struct rd_buf why = { 0 };
	enum rd_reject r = rd_status_parse(b, n, &s, &why);
	if (r == RD_REJECT_NONE) {
		rd_buf_str(out, "{\"ok\":true,\"sample\":");
		rd_status_sample_json(out, &s);
	} else {
		rd_buf_printf(out, "{\"ok\":false,\"code\":\"%s\",\"reason\":", rd_reject_name(r));
		rd_js_json_string(out, why.p ? why.p : "", why.len);
	}
	rd_buf_ch(out, '}');
	rd_buf_free(&why);
}

static double num(const struct rd_json_doc *d, const struct rd_json_node *o, const char *k)
{
	const struct rd_json_node *v = rd_json_get(d, o, k);
	return v && v->type == RD_JSON_NUMBER ? v->number : 0;
}

static void encode(const unsigned char *b, size_t n, struct rd_buf *out)
{
	static struct rd_json_doc d;
	static struct rd_thread_status threads[RD_MAX_THREADS];
	static char names[RD_MAX_THREADS][2][128];
	if (rd_json_read_object(&d, b, n, RD_JSON_MAX_TEXT) != RD_JSON_OK) {
		rd_buf_str(out, "{\"error\":\"bad facts\"}");
		return;
	}
	const struct rd_json_node *o = &d.nodes[0];
	struct rd_zephyr_facts f = { 0 };
	f.seq = num(&d, o, "seq");
	const struct rd_json_node *boot = rd_json_get(&d, o, "boot");
	snprintf(f.boot, sizeof f.boot, "%.*s", boot ? (int)boot->len : 0, boot ? boot->str : "");
	f.uptimeMs = num(&d, o, "uptimeMs");
	f.periodMs = num(&d, o, "periodMs");
	f.loadPct = num(&d, o, "loadPct");
	f.heapUsed = num(&d, o, "heapUsed");
	f.heapFree = num(&d, o, "heapFree");
	f.ipcTx = num(&d, o, "ipcTx");
	f.ipcRt = num(&d, o, "ipcRt");
	f.ipcRi = num(&d, o, "ipcRi");
	f.ipcDr = num(&d, o, "ipcDr");
	f.ipcQ = num(&d, o, "ipcQ");
	const struct rd_json_node *arr = rd_json_get(&d, o, "threads");
	for (const struct rd_json_node *t = rd_json_at(&d, arr, 0); t && f.n_threads < RD_MAX_THREADS; t = rd_json_next(&d, t)) {
		const struct rd_json_node *nm = rd_json_get(&d, t, "name"), *st = rd_json_get(&d, t, "state");
		snprintf(names[f.n_threads][0], 128, "%.*s", (int)nm->len, nm->str);
		snprintf(names[f.n_threads][1], 128, "%.*s", (int)st->len, st->str);
		threads[f.n_threads] = (struct rd_thread_status){ names[f.n_threads][0], names[f.n_threads][1], num(&d, t, "cpu") };
		f.n_threads++;
	}
	f.threads = threads;
	f.threadCount = (double)f.n_threads;
	struct rd_buf text = { 0 }, why = { 0 };
	int dropped = rd_status_encode(&f, RD_STATUS_MAX_BYTES, &text, &why);
	if (dropped < 0) {
		rd_buf_str(out, "{\"error\":");
		rd_js_json_string(out, why.p ? why.p : "", why.len);
	} else {
		rd_buf_printf(out, "{\"dropped\":%d,\"text\":", dropped);
		rd_js_json_string(out, text.p ? text.p : "", text.len);
	}
	rd_buf_ch(out, '}');
	rd_buf_free(&text);
	rd_buf_free(&why);
}

static void number(const unsigned char *b, struct rd_buf *out)
{
	double x;
	memcpy(&x, b, sizeof x);
	rd_buf_str(out, "[\"");
	rd_js_number(out, x);
	rd_buf_str(out, "\",\"");
	rd_js_fixed(out, x, 0);
	rd_buf_str(out, "\",\"");
	rd_js_fixed(out, x, 1);
	rd_buf_str(out, "\",\"");
	rd_js_number(out, rd_js_round(x));
	rd_buf_str(out, "\"]");
}

/* Run n random inputs through the validator and the command codec. */
static void fuzz(unsigned seed, long n, struct rd_buf *out)
{
	static const char alphabet[] = "{}[]\",:0123456789abcdefABCDEF.eE+-truenl \\u";
	unsigned char b[600];
	srand(seed);
	for (long i = 0; i < n; i++) {
		size_t len = (size_t)rand() % sizeof b;
		for (size_t k = 0; k < len; k++)
			b[k] = (unsigned char)(i % 2 ? rand() : alphabet[(size_t)rand() % (sizeof alphabet - 1)]);
		rd_buf_reset(out);
		parse(b, len, out);
		rd_ctrl_serve(b, len, handler, NULL, out);
		struct rd_ctrl_reply r;
		if (rd_ctrl_parse_reply(b, len, &r))
			rd_ctrl_reply_json(out, b, len, &r);
	}
	rd_buf_reset(out);
	rd_buf_printf(out, "%ld", n);
}

int main(int argc, char **argv)
{
	static unsigned char b[65536];
	struct rd_buf out = { 0 };
	for (int i = 1; i < argc; i++) {
		const char *colon = strchr(argv[i], ':');
		if (!colon)
			return 2;
		size_t n = unhex(colon + 1, b, sizeof b);
		rd_buf_reset(&out);
		if (!strncmp(argv[i], "parse:", 6))
			parse(b, n, &out);
		else if (!strncmp(argv[i], "serve:", 6))
			rd_ctrl_serve(b, n, handler, NULL, &out);
		else if (!strncmp(argv[i], "reply:", 6)) {
			struct rd_ctrl_reply r;
			if (rd_ctrl_parse_reply(b, n, &r))
				rd_ctrl_reply_json(&out, b, n, &r);
			else
				rd_buf_str(&out, "null");
		} else if (!strncmp(argv[i], "encode:", 7))
			encode(b, n, &out);
		else if (!strncmp(argv[i], "num:", 4))
			number(b, &out);
		else if (!strncmp(argv[i], "fuzz:", 5))
			fuzz((unsigned)strtoul(argv[i] + 5, NULL, 10), strtol(strchr(argv[i] + 5, ':') ? strchr(argv[i] + 5, ':') + 1 : "0", NULL, 10), &out);
		else
			return 2;
		printf("%s\n", rd_buf_cstr(&out));
	}
	rd_buf_free(&out);
	return 0;
}
