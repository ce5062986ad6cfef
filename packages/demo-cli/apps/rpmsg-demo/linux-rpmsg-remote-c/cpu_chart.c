/* The CPU-load chart of the status page as inline SVG: see status_page.h (the reference is _cpu-chart.ts). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "rd_js.h"
#include "status_page.h"
#include "status_page_template.h"

static const double tick_steps[] = { RD_CHART_TICK_STEPS };

struct point {
	double pos;
	int has_cpu;
	double cpu;
	int break_before, gap, restart;
};

struct chart {
	double plot_w, plot_h, span_ms, last_pos, top;
};

/* Tops the y axis can have, percent: the smallest that holds the highest load shown (chartTop in _cpu-chart.ts). */
static double chart_top(double max)
{
	static const double tops[] = { 1, 2, 5, 10, 25, 50, 100 };
	for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++)
		if (max <= tops[i])
			return tops[i];
	return 100;
}

/* Samples on a time line in ms: Zephyr's t within a boot, Linux receive time across a restart. */
static size_t layout(const struct history *h, struct point *points)
{
	const struct history_entry *prev = NULL;
	double pos = 0;
	for (size_t i = 0; i < h->count; i++) {
		const struct history_entry *e = history_entry(h, i);
		if (prev) {
			int same = !strcmp(prev->boot, e->boot);
			double step = same ? e->t - prev->t : e->received_ms - prev->received_ms;
			double floor_ms = same ? 0 : (e->has_per ? e->per : 1000);
			pos += step > floor_ms ? step : floor_ms;
		}
		struct point *p = &points[i];
		p->pos = pos;
		p->has_cpu = e->has_cpu;
		p->cpu = e->cpu;
		p->break_before = !prev || e->restart || e->lost_before > 0 || !prev->has_cpu;
		p->gap = prev && !e->restart && e->lost_before > 0;
		p->restart = e->restart && prev;
		prev = e;
	}
	return h->count;
}

static double tick_step(double span_s)
{
	size_t n = sizeof tick_steps / sizeof tick_steps[0];
	for (size_t i = 0; i < n; i++)
		if (span_s / tick_steps[i] <= 6)
			return tick_steps[i];
	return tick_steps[n - 1];
}

/*
 * v.toFixed(1). The points keep their places and loads from one page to the
 * next (a steady stream moves each one place along), so the same values come
 * again and again: their text is kept in a small table by the value's bits.
 */
#define NUM1_BITS 10
#define NUM1_SLOTS (1u << NUM1_BITS)
static struct {
	uint64_t bits;
	size_t len; /* 0: empty */
	char text[24];
} num1_texts[NUM1_SLOTS];

static void num1(struct rd_buf *out, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	/* Fibonacci hashing: the top NUM1_BITS bits of the 64-bit product, so i < NUM1_SLOTS */
	size_t i = (size_t)((bits * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - NUM1_BITS));
	if (num1_texts[i].len && num1_texts[i].bits == bits) {
		rd_buf_add(out, num1_texts[i].text, num1_texts[i].len);
		return;
	}
	size_t start = out->len;
	rd_js_fixed(out, v, 1);
	size_t n = out->len - start;
	num1_texts[i].len = 0;
	if (!rd_buf_ok(out) || n == 0 || n > sizeof num1_texts[i].text)
		return;
	memcpy(num1_texts[i].text, out->p + start, n);
	num1_texts[i].bits = bits;
	num1_texts[i].len = n;
}

static double x_of(const struct chart *c, double ago_ms)
{
	return RD_CHART_LEFT + c->plot_w - (ago_ms / c->span_ms) * c->plot_w;
}

static double y_of(const struct chart *c, double cpu)
{
	double v = cpu < 0 ? 0 : cpu;
	v = c->top < v ? c->top : v;
	return RD_CHART_TOP + c->plot_h - (v / c->top) * c->plot_h;
}

static void axes(struct rd_buf *out, const struct chart *c)
{
	static const double fractions[] = { 0, 0.25, 0.5, 0.75, 1 };
	for (size_t i = 0; i < 5; i++) {
		/* multiples of a quarter of 1, 2, 5, 10, 25, 50 or 100: Number(pct.toFixed(2)) is pct itself */
		double pct = c->top * fractions[i];
		rd_buf_printf(out, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"", RD_CHART_LEFT, RD_CHART_WIDTH - RD_CHART_RIGHT);
		num1(out, y_of(c, pct));
		rd_buf_str(out, "\" y2=\"");
		num1(out, y_of(c, pct));
		rd_buf_printf(out, "\"/><text class=\"ylabel\" x=\"%d\" y=\"", RD_CHART_LEFT - 8);
		num1(out, y_of(c, pct) + 4);
		rd_buf_str(out, "\" text-anchor=\"end\">");
		rd_js_number(out, pct);
		rd_buf_str(out, "%</text>");
	}
	double span_s = c->span_ms / 1000;
	double step = tick_step(span_s);
	const int base = RD_CHART_HEIGHT - RD_CHART_BOTTOM;
	for (double ago = 0; ago <= span_s + 1e-9; ago += step) {
		double px = x_of(c, ago * 1000);
		rd_buf_str(out, "<line class=\"tick\" x1=\"");
		num1(out, px);
		rd_buf_str(out, "\" x2=\"");
		num1(out, px);
		rd_buf_printf(out, "\" y1=\"%d\" y2=\"%d\"/><text class=\"xlabel\" x=\"", base, base + 5);
		num1(out, px);
		rd_buf_printf(out, "\" y=\"%d\" text-anchor=\"middle\">", base + 19);
		struct rd_buf label = { 0 };
		format_ago_label(&label, ago, step);
		rd_js_html(out, rd_buf_cstr(&label), label.len);
		rd_buf_free(&label);
		rd_buf_str(out, "</text>");
	}
	rd_buf_printf(out, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>", RD_CHART_LEFT, RD_CHART_WIDTH - RD_CHART_RIGHT, base, base);
	rd_buf_printf(out, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>", RD_CHART_LEFT, RD_CHART_LEFT, RD_CHART_TOP, base);
}

/* One run of the line: the points as "x,y x,y ...", the x of its first point, and the x and y of the last point drawn (of this run or the one before). */
struct run {
	struct rd_buf points;
	size_t n;
	struct rd_buf first_x, last_x, last_y;
};

static void swap_bufs(struct rd_buf *a, struct rd_buf *b)
{
	struct rd_buf t = *a;
	*a = *b;
	*b = t;
}

static void flush(struct rd_buf *out, struct run *r, const char *base)
{
	if (r->n > 1) {
		rd_buf_printf(out, "<polygon class=\"area\" points=\"%s,%s %s %s,%s\"/>", rd_buf_cstr(&r->first_x), base, rd_buf_cstr(&r->points), rd_buf_cstr(&r->last_x), base);
		rd_buf_printf(out, "<polyline class=\"line\" points=\"%s\"/>", rd_buf_cstr(&r->points));
	}
	rd_buf_reset(&r->points);
	r->n = 0;
}

static void series(struct rd_buf *out, const struct chart *c, const struct point *points, size_t n)
{
	struct run r = { 0 };
	struct rd_buf base = { 0 }, xs = { 0 }, ys = { 0 };
	num1(&base, y_of(c, 0));
	for (size_t i = 0; i < n; i++) {
		const struct point *p = &points[i];
		int had_before = r.n > 0; /* the last point of the run, before a break */
		if (p->break_before)
			flush(out, &r, rd_buf_cstr(&base));
		rd_buf_reset(&xs);
		num1(&xs, x_of(c, c->last_pos - p->pos));
		if (p->gap && had_before && p->has_cpu) {
			rd_buf_reset(&ys);
			num1(&ys, y_of(c, p->cpu));
			rd_buf_printf(out, "<line class=\"gap\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"><title>lost samples</title></line>",
				      rd_buf_cstr(&r.last_x), rd_buf_cstr(&r.last_y), rd_buf_cstr(&xs), rd_buf_cstr(&ys));
		}
		if (p->restart) {
			rd_buf_printf(out, "<line class=\"restart\" x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%s\"/>", rd_buf_cstr(&xs), rd_buf_cstr(&xs), RD_CHART_TOP, rd_buf_cstr(&base));
			rd_buf_printf(out, "<text class=\"restart-label\" x=\"%s\" y=\"%d\" dx=\"4\">restart</text>", rd_buf_cstr(&xs), RD_CHART_TOP + 10);
		}
		if (!p->has_cpu)
			continue;
		rd_buf_reset(&ys);
		num1(&ys, y_of(c, p->cpu));
		if (r.n)
			rd_buf_ch(&r.points, ' ');
		else {
			rd_buf_reset(&r.first_x);
			rd_buf_add(&r.first_x, xs.p, xs.len);
		}
		rd_buf_add(&r.points, xs.p, xs.len);
		rd_buf_ch(&r.points, ',');
		rd_buf_add(&r.points, ys.p, ys.len);
		r.n++;
		/* this point is the last one now (xs and ys are written anew for the next) */
		swap_bufs(&r.last_x, &xs);
		swap_bufs(&r.last_y, &ys);
	}
	flush(out, &r, rd_buf_cstr(&base));
	rd_buf_free(&r.points);
	rd_buf_free(&r.first_x);
	rd_buf_free(&r.last_x);
	rd_buf_free(&r.last_y);
	rd_buf_free(&base);
	rd_buf_free(&xs);
	rd_buf_free(&ys);
}

void cpu_chart_render(struct rd_buf *out, const struct history *h)
{
	static struct point points[HISTORY_CAPACITY];
	size_t n = layout(h, points);
	struct chart c;
	c.plot_w = RD_CHART_WIDTH - RD_CHART_LEFT - RD_CHART_RIGHT;
	c.plot_h = RD_CHART_HEIGHT - RD_CHART_TOP - RD_CHART_BOTTOM;
	c.last_pos = n ? points[n - 1].pos : 0;
	double last_per = n && history_entry(h, n - 1)->has_per ? history_entry(h, n - 1)->per : 1000;
	double span = c.last_pos - (n ? points[0].pos : 0);
	c.span_ms = span > last_per * 10 ? span : last_per * 10;
	double max = 0;
	for (size_t i = 0; i < n; i++)
		if (points[i].has_cpu && points[i].cpu > max)
			max = points[i].cpu;
	c.top = chart_top(max);
	rd_buf_printf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"chart-title\" xmlns=\"http://www.w3.org/2000/svg\">", RD_CHART_WIDTH, RD_CHART_HEIGHT);
	rd_buf_printf(out, "<title id=\"chart-title\">Zephyr vCPU load, percent, over the last %zu samples</title>", n);
	axes(out, &c);
	series(out, &c, points, n);
	for (size_t i = n; i-- > 0;) {
		if (!points[i].has_cpu)
			continue;
		rd_buf_str(out, "<circle class=\"dot\" cx=\"");
		num1(out, x_of(&c, c.last_pos - points[i].pos));
		rd_buf_str(out, "\" cy=\"");
		num1(out, y_of(&c, points[i].cpu));
		rd_buf_str(out, "\" r=\"4\"/>");
		break;
	}
	if (n == 0) {
		rd_buf_str(out, "<text class=\"empty\" x=\"");
		rd_js_number(out, RD_CHART_LEFT + c.plot_w / 2);
		rd_buf_str(out, "\" y=\"");
		rd_js_number(out, RD_CHART_TOP + c.plot_h / 2);
		rd_buf_str(out, "\" text-anchor=\"middle\">Waiting for the first status sample from Zephyr\xe2\x80\xa6</text>");
	}
	rd_buf_str(out, "</svg>");
}
