/*
 * rpmsg-remote in C: the endpoints, the bound handshake, the samples and
 * the link state (see remote.h).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strcasecmp, mkdir */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "rd_js.h"
#include "remote.h"
#include "status_page.h"
#include "rd_events.h"

#define MAX_LOGGED_MALFORMED 5

double remote_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void remote_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("rpmsg-remote: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

static struct remote *remote_of(struct rpmsg_endpoint *ept)
{
	return ept->priv;
}

static void publish(struct rd_buf *e)
{
	rd_publish(e);
	rd_buf_free(e);
}

void remote_trace_link(struct remote *r)
{
	struct rd_buf e = { 0 };
	rd_buf_str(&e, "{\"type\":\"linux.link\",\"state\":");
	rd_js_json_cstr(&e, r->history.link_state);
	rd_buf_ch(&e, ',');
	status_counters_members(&e, &r->history.counters);
	rd_buf_printf(&e, ",\"peerResets\":%lu,\"reattaches\":%lu}", r->counters.peer_resets, r->counters.reattaches);
	publish(&e);
}

void remote_update_link(struct remote *r)
{
	const char *state;
	double now = remote_now();
	int live = r->rdev && !r->reset;
	if (!live || r->demo_bound)
		r->announced = 0;
	else if (!r->announced) {
		r->announced = 1;
		r->announced_at = now;
	}
	if (!live)
		state = r->counters.peer_resets > 0 || r->ever_bound ? LINK_DOWN : LINK_WAITING;
	else if (!r->demo_bound) /* announced, and not bound within bindWithinMs: the host is gone or hung */
		state = now - r->announced_at >= RD_LIVENESS_BIND_WITHIN_MS ? LINK_UNRESPONSIVE : LINK_ANNOUNCED;
	else
		state = r->heartbeat.miss >= 2 ? LINK_UNRESPONSIVE : LINK_BOUND;
	if (history_set_link(&r->history, state)) {
		r->publish_at = now;
		remote_trace_link(r);
	}
}

static void on_sample(struct remote *r, const uint8_t *data, size_t len)
{
	static struct rd_sample s;
	double now = remote_now();
	struct rd_buf why = { 0 }, e = { 0 };
	enum rd_reject code = rd_status_parse(data, len, &s, &why);
	if (code != RD_REJECT_NONE) {
		unsigned long n = ++r->counters.malformed;
		if (code == RD_REJECT_TOO_LONG)
			r->counters.oversize++;
		history_malformed(&r->history);
		if (n <= MAX_LOGGED_MALFORMED || n % 100 == 0)
			remote_log("dropped a malformed sample (#%lu): %s", n, rd_buf_cstr(&why));
		rd_buf_printf(&e, "{\"type\":\"linux.malformed\",\"code\":\"%s\",\"reason\":", rd_reject_name(code));
		rd_js_json_string(&e, rd_buf_cstr(&why), why.len);
		rd_buf_printf(&e, ",\"count\":%lu,\"counters\":{", n);
	} else {
		static const char *const kinds[] = { "first", "next", "gap", "restart", "stale", "out-of-order" };
		double lost = 0;
		char previous[9] = "";
		enum history_outcome outcome = history_add(&r->history, &s, now, &lost, previous);
		/* every sample is acknowledged (a stale or set-aside one too: the ack tells the host where this side stands) */
		r->heartbeat.due = 1;
		if (outcome != OUTCOME_STALE && outcome != OUTCOME_OUT_OF_ORDER)
			r->counters.samples++;
		const char *boot = s.hex[rd_status_field("boot")];
		double seq = s.num[rd_status_field("seq")];
		if (outcome == OUTCOME_GAP)
			remote_log("lost %.0f sample(s) before seq %.0f", lost, seq);
		else if (outcome == OUTCOME_RESTART)
			remote_log("Zephyr restarted (boot %s -> %s)", previous, boot);
		else if (outcome == OUTCOME_FIRST)
			remote_log("first sample from Zephyr boot %s", boot);
		rd_buf_str(&e, "{\"type\":\"linux.sample\",\"seq\":");
		rd_js_number(&e, seq);
		rd_buf_printf(&e, ",\"boot\":\"%s\",\"outcome\":\"%s\",\"lost\":", boot, kinds[outcome]);
		rd_js_number(&e, outcome == OUTCOME_GAP ? lost : 0);
		rd_buf_str(&e, ",\"sample\":");
		rd_status_sample_json(&e, &s);
		rd_buf_str(&e, ",\"counters\":{");
	}
	status_counters_members(&e, &r->history.counters);
	rd_buf_str(&e, "}}");
	publish(&e);
	rd_buf_free(&why);
	r->publish_at = now;
}

/* The host's empty message: answer it (the bound handshake); the endpoint is bound once the answer is out. */
static void answer_handshake(struct remote *r, struct rpmsg_endpoint *ept)
{
	static const char empty[1] = "";
	int is_demo = ept == &r->demo;
	int err = rpmsg_send(ept, empty, 0); /* waits for a buffer, as the TypeScript remote's fallback does */
	if (err < 0) {
		remote_log("answering the %s handshake failed: OpenAMP error %d", is_demo ? RD_DEMO_ENDPOINT : RD_CTRL_ENDPOINT, err);
		return;
	}
	r->counters.handshakes++;
	heartbeat_reset(r);
	if (is_demo) {
		r->demo_bound = 1;
		if (r->ever_bound)
			r->counters.reattaches++;
		r->ever_bound = 1;
		remote_log("endpoint %s bound%s", RD_DEMO_ENDPOINT, r->counters.reattaches > 0 ? " again (re-attached)" : "");
	} else {
		r->ctrl_bound = 1;
		ctrl_client_bound(&r->client);
	}
	remote_update_link(r);
}

static int on_message(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)src;
	(void)priv;
	struct remote *r = remote_of(ept);
	if (len == 0)
		answer_handshake(r, ept);
	else if (ept == &r->demo)
		on_sample(r, data, len);
	else
		ctrl_client_message(&r->client, data, len);
	return RPMSG_SUCCESS;
}

static void on_unbind(struct rpmsg_endpoint *ept)
{
	struct remote *r = remote_of(ept);
	if (ept == &r->demo)
		r->demo_bound = 0;
	else
		r->ctrl_bound = 0;
	remote_update_link(r);
}

int remote_create_endpoints(struct remote *r)
{
	r->demo_bound = r->ctrl_bound = 0;
	memset(&r->demo, 0, sizeof r->demo);
	memset(&r->ctrl, 0, sizeof r->ctrl);
	r->demo.priv = r->ctrl.priv = r;
	int err = rpmsg_create_ept(&r->demo, r->rdev, RD_DEMO_ENDPOINT, RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, on_message, on_unbind);
	if (!err)
		err = rpmsg_create_ept(&r->ctrl, r->rdev, RD_CTRL_ENDPOINT, RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, on_message, on_unbind);
	return err;
}
