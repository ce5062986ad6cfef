/* The rpmsg-host link policy: see host_link.h. */
#include "host_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <metal/io.h>
#include <metal/utilities.h>
#include <zephyr/logging/log.h>
#include "platform_info.h"
#include "rd_events.h"
#include "rd_js.h"

LOG_MODULE_REGISTER(rpmsg_host);

static const double retry_delays_ms[RETRIES] = { 10, 20, 40, 80, 160 };
/** The liveness watch runs every deadAfterMs / 4. */
#define WATCH_MS (RD_LIVENESS_DEAD_AFTER_MS / 4)

/* The one link of the program (the name-service callback gets only the device). */
static struct host_link *the_link;

static double now_ms(void)
{
	return (double)k_uptime_get();
}

static void publish_state(struct host_link *l, const char *state)
{
	struct rd_buf e = { 0 };
	rd_buf_printf(&e, "{\"type\":\"zephyr.link\",\"state\":\"%s\"", state);
	const double v[] = { l->tx, l->rt, l->ri, l->queue.dropped, (double)l->queue.count, l->delivered };
	const char *const k[] = { "tx", "rt", "ri", "dr", "q", "delivered" };
	for (size_t i = 0; i < 6; i++) {
		rd_buf_printf(&e, ",\"%s\":", k[i]);
		rd_js_number(&e, v[i]);
	}
	rd_buf_ch(&e, '}');
	rd_publish(&e);
	rd_buf_free(&e);
}

/* zephyr.sample: what happened to one sample (taken, then delivered or dropped). */
static void fate(void *ctx, double seq, const char *what)
{
	struct host_link *l = ctx;
	struct rd_buf e = { 0 };
	rd_buf_printf(&e, "{\"type\":\"zephyr.sample\",\"boot\":\"%s\",\"seq\":", l->boot);
	rd_js_number(&e, seq);
	rd_buf_printf(&e, ",\"fate\":\"%s\"%s}", what, strcmp(what, "dropped") ? "" : ",\"reason\":\"overflow\"");
	rd_publish(&e);
	rd_buf_free(&e);
	if (!strcmp(what, "delivered"))
		l->delivered++;
}

/*
 * Log a link-recovery message at its level, or at debug level while the link
 * has never been up: until the remote first announces its endpoints Zephyr
 * is waiting for its peer, which it said once at info level, and the quiet
 * re-inits of that wait are no failure (#linkLog of host-link.ts).
 */
#define LINK_LOG(l, LEVEL, ...)            \
	do {                               \
		if ((l)->ever_up)          \
			LEVEL(__VA_ARGS__); \
		else                       \
			LOG_DBG(__VA_ARGS__); \
	} while (0)

static void request_reinit(struct host_link *l, const char *reason)
{
	if (l->reinit_requested)
		return;
	LINK_LOG(l, LOG_ERR, "link failed (%s): RPMsg re-init requested", reason);
	l->reinit_requested = 1;
}

static void set_up(struct host_link *l, int up)
{
	if (l->up == up)
		return;
	l->up = up;
	if (up) {
		l->ever_up = 1;
		LOG_INF("link up: %s bound (%zu sample(s) queued)", RD_DEMO_ENDPOINT, l->queue.count);
		l->last_heard = now_ms();
		l->relink_ms = RD_LIVENESS_DEAD_AFTER_MS;
	} else {
		LOG_WRN("link down: %s unbound", RD_DEMO_ENDPOINT);
		l->down_since = now_ms();
	}
	publish_state(l, up ? "up" : "down");
}

static int on_message(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)src;
	(void)priv;
	struct host_link *l = the_link;
	if (len == 0) { /* the remote answered our empty message: bound */
		if (ept == &l->demo)
			set_up(l, 1);
		else
			LOG_INF("%s bound", RD_CTRL_ENDPOINT);
		return RPMSG_SUCCESS;
	}
	if (ept != &l->ctrl)
		return RPMSG_SUCCESS; /* the remote sends nothing on rpmsg-demo but the handshake */
	l->last_heard = now_ms();
	struct rd_buf reply = { 0 };
	l->on_command(l->command_ctx, data, len, &reply);
	int err = rd_buf_ok(&reply) ? rpmsg_trysend(&l->ctrl, reply.p, (int)reply.len) : RPMSG_ERR_NO_MEM;
	if (err < 0)
		LOG_WRN("reply on %s not sent: OpenAMP error %d", RD_CTRL_ENDPOINT, err);
	rd_buf_free(&reply);
	return RPMSG_SUCCESS;
}

static void on_unbind(struct rpmsg_endpoint *ept)
{
	struct host_link *l = the_link;
	if (ept == &l->demo)
		set_up(l, 0);
	else
		LOG_WRN("%s unbound", RD_CTRL_ENDPOINT);
}

/* The remote announced an endpoint: make ours towards it (or point ours at it again) and send the empty message of the bound handshake. */
static void on_announce(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	struct host_link *l = the_link;
	int is_demo = !strcmp(name, RD_DEMO_ENDPOINT);
	if (!is_demo && strcmp(name, RD_CTRL_ENDPOINT))
		return;
	struct rpmsg_endpoint *ept = is_demo ? &l->demo : &l->ctrl;
	int *made = is_demo ? &l->demo_made : &l->ctrl_made;
	if (*made)
		ept->dest_addr = dest;
	else if (rpmsg_create_ept(ept, rdev, name, RPMSG_ADDR_ANY, dest, on_message, on_unbind)) {
		LOG_ERR("making endpoint %s failed", name);
		return;
	}
	*made = 1;
	static const char empty[1] = "";
	if (rpmsg_trysend(ept, empty, 0) < 0)
		LOG_WRN("%s: no buffer for the bound handshake", name);
}

/* Make a device and wait for the remote's announcements (register). */
static int open_device(struct host_link *l)
{
	l->rdev = platform_create_rpmsg_vdev(l->platform, 0, VIRTIO_DEV_DRIVER, NULL, on_announce);
	if (l->rdev)
		l->down_since = now_ms();
	return l->rdev ? 0 : -1;
}

void link_start(struct host_link *l, void *platform, const char boot[9], link_command_fn on_command, void *ctx)
{
	the_link = l;
	l->platform = platform;
	memcpy(l->boot, boot, 9);
	l->on_command = on_command;
	l->command_ctx = ctx;
	l->relink_ms = RD_LIVENESS_DEAD_AFTER_MS;
	l->watch_at = now_ms() + WATCH_MS;
	if (open_device(l) == 0)
		LOG_INF("RPMsg host up on %s; waiting for the remote to announce its endpoints", "ipc0");
	else {
		LOG_ERR("opening ipc0 failed");
		request_reinit(l, "open failed");
	}
}

void link_enqueue(struct host_link *l, const struct sample_facts *facts)
{
	double seq = facts->f.seq;
	fate(l, seq, "taken");
	double before = l->queue.dropped;
	int dropped = queue_push(&l->queue, seq, facts, fate, l);
	if (dropped > 0)
		LINK_LOG(l, LOG_WRN, "sample queue full: dropped %d sample(s) (overflow; %.0f dropped in total)", (int)(l->queue.dropped - before), l->queue.dropped);
}

void link_acknowledge(struct host_link *l, double boot, double next, double miss)
{
	if (miss > 0 && l->up) {
		char why[80];
		snprintf(why, sizeof why, "the remote got no reply to its last %.0f ack(s)", miss);
		request_reinit(l, why);
	}
	if (boot != (double)strtoul(l->boot, NULL, 16))
		return;
	queue_acknowledge(&l->queue, next, fate, l);
}

static void teardown(struct host_link *l)
{
	set_up(l, 0);
	l->demo_made = l->ctrl_made = 0;
	if (!l->rdev)
		return;
	l->rdev->support_ns = 0; /* the rings are about to be reset: no name-service message goes out on them */
	platform_release_rpmsg_vdev(l->rdev, l->platform);
	l->rdev = NULL;
}

static void reinit(struct host_link *l)
{
	l->reinit_requested = 0;
	l->ri++;
	LINK_LOG(l, LOG_WRN, "re-init #%.0f: tearing down the RPMsg device", l->ri);
	size_t again = queue_rewind(&l->queue);
	if (again > 0)
		LINK_LOG(l, LOG_INF, "re-init #%.0f: %zu unacknowledged sample(s) will be sent again", l->ri, again);
	publish_state(l, "reinit");
	teardown(l);
	l->attempt = 0;
	l->retry_at = 0;
	if (open_device(l)) {
		LOG_ERR("re-init #%.0f: opening a new vdev failed; trying again in %.0f ms", l->ri, REOPEN_DELAY_MS);
		l->reopen_at = now_ms() + REOPEN_DELAY_MS;
		return;
	}
	LINK_LOG(l, LOG_INF, "re-init #%.0f: new vdev over the same region; re-registering %s and %s", l->ri, RD_DEMO_ENDPOINT, RD_CTRL_ENDPOINT);
}

/* The liveness watch: re-initialise when the remote looks dead or reset. */
static void check_liveness(struct host_link *l, double now)
{
	char why[96];
	if (l->reinit_requested || l->reopen_at)
		return;
	if (!l->up) {
		if (now - l->down_since < l->relink_ms)
			return;
		double waited = l->relink_ms;
		l->relink_ms = l->relink_ms * 2 < RD_LIVENESS_MAX_RELINK_MS ? l->relink_ms * 2 : RD_LIVENESS_MAX_RELINK_MS;
		snprintf(why, sizeof why, "link down for %.0f ms", waited);
		request_reinit(l, why);
	} else if (now - l->last_heard >= RD_LIVENESS_DEAD_AFTER_MS) {
		snprintf(why, sizeof why, "nothing heard from the remote for %.0f ms", now - l->last_heard);
		request_reinit(l, why);
	} else {
		const struct queued_sample *oldest = queue_oldest_in_flight(&l->queue);
		if (oldest && now - oldest->sent_at >= RD_LIVENESS_DEAD_AFTER_MS) {
			snprintf(why, sizeof why, "sample %.0f not acknowledged %.0f ms after it was sent", oldest->seq, now - oldest->sent_at);
			request_reinit(l, why);
		}
	}
}

/* Encode s with the link's counters as of now (its dr: drops below its seq) and try to send it: 0, or the errno name of why not. */
static const char *attempt(struct host_link *l, struct queued_sample *s, int *down)
{
	struct rd_zephyr_facts *f = facts_of(&s->facts);
	f->ipcTx = l->tx;
	f->ipcRt = l->rt;
	f->ipcRi = l->ri;
	f->ipcDr = queue_drops_below(&l->queue, s->seq);
	f->ipcQ = (double)l->queue.count - 1;
	struct rd_buf bytes = { 0 };
	int err = rd_status_encode(f, RD_STATUS_MAX_BYTES, &bytes, NULL) < 0 ? RPMSG_ERR_PARAM : rpmsg_trysend(&l->demo, bytes.p, (int)bytes.len);
	rd_buf_free(&bytes);
	*down = 0;
	if (err >= 0)
		return NULL;
	if (err == RPMSG_ERR_NO_BUFF)
		return "ENOMEM";
	*down = 1; /* no peer to send to */
	return "ENOTCONN";
}

/* Send queued samples while the link is up and the window allows; a failure waits for its retry or asks for a re-init. */
static void pump(struct host_link *l, double now)
{
	for (;;) {
		struct queued_sample *next = l->up && l->demo_made && !l->reinit_requested ? queue_next_to_send(&l->queue) : NULL;
		if (!next || l->queue.in_flight >= MAX_IN_FLIGHT || l->retry_at > now)
			return;
		int down;
		const char *code = attempt(l, next, &down);
		if (!code) {
			queue_mark_sent(&l->queue, now);
			l->tx++;
			l->attempt = 0;
			l->retry_at = 0;
			continue;
		}
		if (down)
			return;
		if (l->attempt >= RETRIES) {
			LOG_ERR("send of sample %.0f failed after %d retries (%s)", next->seq, RETRIES, code);
			l->attempt = 0;
			l->retry_at = 0;
			request_reinit(l, "5 retries failed");
			return;
		}
		double delay = retry_delays_ms[l->attempt++];
		l->rt++;
		LOG_WRN("send of sample %.0f failed (%s): retry %d/%d in %.0f ms", next->seq, code, l->attempt, RETRIES, delay);
		l->retry_at = now + delay;
		return;
	}
}

void link_run(struct host_link *l)
{
	double now = now_ms();
	if (l->reopen_at && now >= l->reopen_at) {
		l->reopen_at = 0;
		l->reinit_requested = 1;
	}
	while (l->watch_at <= now) {
		check_liveness(l, now);
		l->watch_at += WATCH_MS;
	}
	if (!l->up) {
		l->attempt = 0;
		l->retry_at = 0;
	}
	if (l->reinit_requested)
		reinit(l);
	pump(l, now);
	if (l->reinit_requested) /* the retries ran out just now */
		reinit(l);
}

double link_next_due(const struct host_link *l)
{
	double next = l->watch_at;
	if (l->retry_at > 0 && l->retry_at < next)
		next = l->retry_at;
	if (l->reopen_at > 0 && l->reopen_at < next)
		next = l->reopen_at;
	return next;
}
