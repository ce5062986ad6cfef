/* The status page and its JSON twin: see status_page.h (the reference is status-page.ts). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strcasecmp, mkdir */
#include "status_page.h"

#include <string.h>
#include <strings.h>
#include "format.h"
#include "rd_js.h"
#include "status_page_template.h"

#define DASH "<small>\xe2\x80\x94</small>"

static void card(struct rd_buf *out, const char *label, const char *value, const char *note, const char *extra)
{
	rd_buf_str(out, "<div class=\"card\"><div class=\"label\">");
	rd_js_html_cstr(out, label);
	rd_buf_printf(out, "</div><div class=\"value\">%s</div>%s", value, extra);
	if (*note)
		rd_buf_printf(out, "<div class=\"note\">%s</div>", note);
	rd_buf_str(out, "</div>");
}

static void bar(struct rd_buf *out, double percent)
{
	double w = percent < 0 ? 0 : percent;
	w = 100 < w ? 100 : w;
	rd_buf_str(out, "<div class=\"bar\"><span style=\"width:");
	rd_js_fixed(out, w, 1);
	rd_buf_str(out, "%\"></span></div>");
}

static int matches_word(const char *state, const char *const *words, int whole)
{
	for (; *words; words++) {
		size_t n = strlen(*words);
		if (!strncasecmp(state, *words, n) && (!whole || state[n] == '\0'))
			return 1;
	}
	return 0;
}

static const char *link_class(const char *state)
{
	static const char *const ok[] = { "bound", "up", "connected", "ok", NULL };
	static const char *const bad[] = { "down", "error", "failed", "lost", NULL };
	if (matches_word(state, ok, 1))
		return "ok";
	return matches_word(state, bad, 0) ? "bad" : "";
}

double status_period_ms(const struct history *h)
{
	double per;
	return history_latest_num(h, "per", &per) ? per : RD_DEFAULT_PERIOD_MS;
}

struct freshness status_freshness(const struct history *h, double now)
{
	struct freshness f = { 0 };
	f.stale_after_ms = STALE_PERIODS * status_period_ms(h);
	if (h->has_update) {
		f.has_age = 1;
		f.age_ms = now - h->last_update_ms > 0 ? now - h->last_update_ms : 0;
		f.stale = f.age_ms > f.stale_after_ms;
	}
	return f;
}

/* formatAge without its " ago": "3.5 s", "12 s", "3 min". */
static void age_words(struct rd_buf *out, double ms)
{
	struct rd_buf text = { 0 };
	format_age(&text, ms);
	size_t n = text.len >= 4 && !strcmp(rd_buf_cstr(&text) + text.len - 4, " ago") ? text.len - 4 : text.len;
	rd_js_html(out, rd_buf_cstr(&text), n);
	rd_buf_free(&text);
}

/* The pair field heap of the newest sample: 1 with used and free, 0 without. */
static int latest_heap(const struct history *h, double *used, double *free_)
{
	int i = rd_status_field("heap");
	if (!h->has_latest || i < 0 || !h->latest.present[i])
		return 0;
	*used = h->latest.members[i][0];
	*free_ = h->latest.members[i][1];
	return 1;
}

static void uptime_card(struct rd_buf *out, const struct history *h)
{
	struct rd_buf value = { 0 }, note = { 0 }, text = { 0 };
	double t, seq;
	if (h->has_latest) {
		history_latest_num(h, "t", &t);
		history_latest_num(h, "seq", &seq);
		format_uptime(&text, t);
		rd_js_html_cstr(&value, rd_buf_cstr(&text));
		rd_buf_str(&note, "boot ");
		rd_js_html_cstr(&note, h->latest.hex[rd_status_field("boot")]);
		rd_buf_str(&note, " \xc2\xb7 seq ");
		rd_js_number(&note, seq);
	} else
		rd_buf_str(&value, DASH);
	card(out, "Uptime", rd_buf_cstr(&value), rd_buf_cstr(&note), "");
	rd_buf_free(&value);
	rd_buf_free(&note);
	rd_buf_free(&text);
}

static void load_and_heap_cards(struct rd_buf *out, const struct history *h)
{
	struct rd_buf value = { 0 }, note = { 0 }, extra = { 0 }, text = { 0 };
	double cpu;
	if (history_latest_num(h, "cpu", &cpu)) {
		rd_js_fixed(&value, cpu, 1);
		rd_buf_str(&value, "<small> %</small>");
		bar(&extra, cpu);
	} else
		rd_buf_str(&value, DASH);
	card(out, "CPU load", rd_buf_cstr(&value), "vCPU, last period", rd_buf_cstr(&extra));
	rd_buf_reset(&value);
	rd_buf_reset(&extra);
	double used, free_;
	if (latest_heap(h, &used, &free_)) {
		double total = used + free_;
		double pct = total > 0 ? (used / total) * 100 : 0;
		format_bytes(&text, used);
		rd_js_html_cstr(&value, rd_buf_cstr(&text));
		rd_buf_reset(&text);
		format_bytes(&text, total);
		rd_buf_str(&note, "of ");
		rd_js_html_cstr(&note, rd_buf_cstr(&text));
		rd_buf_str(&note, " (");
		rd_js_fixed(&note, pct, 0);
		rd_buf_str(&note, " %)");
		bar(&extra, pct);
	} else
		rd_buf_str(&value, DASH);
	card(out, "Heap used", rd_buf_cstr(&value), rd_buf_cstr(&note), rd_buf_cstr(&extra));
	rd_buf_free(&value);
	rd_buf_free(&note);
	rd_buf_free(&extra);
	rd_buf_free(&text);
}

static void link_and_update_cards(struct rd_buf *out, const struct history *h, const struct freshness *f)
{
	struct rd_buf value = { 0 }, note = { 0 }, text = { 0 };
	/* a link that has carried nothing for three periods is not shown as healthy, whatever its handshake says */
	rd_buf_printf(&value, "<span class=\"state %s\">", f->stale ? "bad" : link_class(h->link_state));
	rd_js_html_cstr(&value, h->link_state);
	rd_buf_str(&value, "</span>");
	if (f->stale) {
		rd_buf_str(&note, "no sample for ");
		age_words(&note, f->age_ms);
	} else
		rd_buf_str(&note, "OpenAMP RPMsg");
	card(out, "Link", rd_buf_cstr(&value), rd_buf_cstr(&note), "");
	rd_buf_reset(&value);
	rd_buf_reset(&note);
	double per;
	int has_per = history_latest_num(h, "per", &per);
	if (f->has_age) {
		format_age(&text, f->age_ms);
		rd_buf_printf(&value, "<span id=\"age\" class=\"%s\" data-age-ms=\"", f->stale ? "stale" : "");
		rd_js_number(&value, rd_js_round(f->age_ms));
		rd_buf_str(&value, "\" data-stale-after-ms=\"");
		rd_js_number(&value, f->stale_after_ms);
		rd_buf_str(&value, "\">");
		rd_js_html_cstr(&value, rd_buf_cstr(&text));
		rd_buf_str(&value, "</span>");
	} else
		rd_buf_str(&value, DASH);
	if (has_per) {
		rd_buf_reset(&text);
		format_period(&text, per);
		rd_buf_str(&note, "sampled every ");
		rd_js_html_cstr(&note, rd_buf_cstr(&text));
	}
	card(out, "Last update", rd_buf_cstr(&value), rd_buf_cstr(&note), "");
	rd_buf_free(&value);
	rd_buf_free(&note);
	rd_buf_free(&text);
}

/* Always in the page (hidden while fresh), so the script can show it when the writer has gone quiet. */
static void stale_banner(struct rd_buf *out, const struct freshness *f)
{
	struct rd_buf text = { 0 };
	rd_buf_printf(out, "<div id=\"stale-banner\" class=\"banner\" role=\"status\"%s>No status sample from Zephyr for <b id=\"stale-age\">", f->stale ? "" : " hidden");
	if (f->has_age)
		age_words(out, f->age_ms);
	rd_buf_str(out, "</b>: the figures below are stale (a sample is due every ");
	format_period(&text, f->stale_after_ms / STALE_PERIODS);
	rd_js_html_cstr(out, rd_buf_cstr(&text));
	rd_buf_str(out, ").</div>");
	rd_buf_free(&text);
}

static void thread_table(struct rd_buf *out, const struct history *h)
{
	int i = rd_status_field("thr");
	if (!h->has_latest || i < 0 || !h->latest.present[i] || h->latest.n_threads == 0) {
		rd_buf_str(out, "<section class=\"panel\"><h2>Threads</h2><div class=\"waiting\">no thread data in the latest sample</div></section>");
		return;
	}
	rd_buf_str(out, "<section class=\"panel\"><h2>Threads</h2><table><thead><tr><th>Name</th><th>State</th><th class=\"num\">CPU</th></tr></thead><tbody>");
	for (size_t t = 0; t < h->latest.n_threads; t++) {
		const struct rd_thread *th = &h->latest.threads[t];
		rd_buf_str(out, "<tr><td class=\"name\">");
		rd_js_html(out, th->name, th->name_len);
		rd_buf_str(out, "</td><td><span class=\"badge\">");
		rd_js_html(out, th->state, th->state_len);
		rd_buf_str(out, "</span></td><td class=\"num\">");
		rd_js_fixed(out, th->cpu, 1);
		rd_buf_str(out, " %");
		bar(out, th->cpu);
		rd_buf_str(out, "</td></tr>");
	}
	rd_buf_str(out, "</tbody></table></section>");
}

struct counter_row {
	const char *label;
	double v;
	int warn;
};

static void counter_rows(struct rd_buf *out, const struct counter_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rd_buf_str(out, rows[i].warn ? "<div class=\"warn\"><dt>" : "<div><dt>");
		rd_js_html_cstr(out, rows[i].label);
		rd_buf_str(out, "</dt><dd>");
		format_count(out, rows[i].v);
		rd_buf_str(out, "</dd></div>");
	}
}

/* Linux's totals over every Zephyr boot, and beside them the counters the newest sample carries for its own boot. */
static void counter_list(struct rd_buf *out, const struct history *h)
{
	const struct history_counters *c = &h->counters;
	const char *latest_boot = h->has_latest ? h->latest.hex[rd_status_field("boot")] : NULL;
	const struct history_boot *boot = h->n_boots ? &h->boots[h->n_boots - 1] : NULL;
	double received = latest_boot && boot && !strcmp(boot->boot, latest_boot) ? boot->samples : 0;
	const struct counter_row linux_rows[] = {
		{ "Samples received", c->received, 0 },
		{ "Lost samples", c->lost, c->lost > 0 },
		{ "Zephyr restarts seen", c->restarts, c->restarts > 0 },
		{ "Malformed messages", c->malformed, c->malformed > 0 },
	};
	const struct counter_row zephyr_rows[] = {
		{ "Sends (tx), this one included", h->has_latest ? history_ipc(h, "tx") + 1 : 0, 0 },
		{ "Received from this boot", received, 0 },
		{ "Send retries", history_ipc(h, "rt"), history_ipc(h, "rt") > 0 },
		{ "Link re-inits", history_ipc(h, "ri"), history_ipc(h, "ri") > 0 },
		{ "Dropped by Zephyr (dr)", history_ipc(h, "dr"), history_ipc(h, "dr") > 0 },
		{ "Queued now", history_ipc(h, "q"), 0 },
	};
	rd_buf_str(out, "<section class=\"panel\"><h2>Counters</h2><div class=\"counter-groups\"><div><h3>Linux, every Zephyr boot</h3><dl class=\"counters\">");
	counter_rows(out, linux_rows, sizeof linux_rows / sizeof linux_rows[0]);
	rd_buf_str(out, "</dl></div><div><h3>");
	if (h->has_latest) {
		double seq;
		history_latest_num(h, "seq", &seq);
		rd_buf_str(out, "Zephyr boot ");
		rd_js_html_cstr(out, latest_boot);
		rd_buf_str(out, ", as of seq ");
		rd_js_number(out, seq);
	} else
		rd_buf_str(out, "Zephyr (no sample yet)");
	rd_buf_str(out, "</h3><dl class=\"counters\">");
	counter_rows(out, zephyr_rows, sizeof zephyr_rows / sizeof zephyr_rows[0]);
	rd_buf_str(out, "</dl></div></div></section>");
}

void status_page_render(struct rd_buf *out, const struct history *h, double now, double refresh)
{
	struct freshness f = status_freshness(h, now);
	rd_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"en\"%s><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
		      f.stale ? " class=\"is-stale\"" : "");
	if (refresh > 0) {
		rd_buf_str(out, "<meta http-equiv=\"refresh\" content=\"");
		rd_js_number(out, refresh);
		rd_buf_str(out, "\">");
	}
	rd_buf_str(out, "<title>Zephyr status</title><style>" RD_PAGE_CSS "</style></head><body><main>");
	rd_buf_str(out, "<header><h1>Zephyr status</h1><span class=\"sub\">Zephyr guest \xe2\x86\x92 Linux guest over OpenAMP RPMsg on Xen static shared memory</span></header>");
	stale_banner(out, &f);
	rd_buf_str(out, "<section class=\"cards\">");
	uptime_card(out, h);
	load_and_heap_cards(out, h);
	link_and_update_cards(out, h, &f);
	rd_buf_str(out, "</section><section class=\"panel\"><h2>CPU load</h2>");
	cpu_chart_render(out, h);
	rd_buf_str(out, "</section>");
	thread_table(out, h);
	counter_list(out, h);
	rd_buf_printf(out, "<footer>Written by rpmsg-remote on the Linux guest \xc2\xb7 %zu samples kept", h->count);
	if (refresh > 0) {
		rd_buf_str(out, " \xc2\xb7 refreshes every ");
		rd_js_number(out, refresh);
		rd_buf_str(out, " s");
	}
	rd_buf_str(out, " \xc2\xb7 v8r</footer></main><script>" RD_PAGE_SCRIPT "</script></body></html>\n");
}
