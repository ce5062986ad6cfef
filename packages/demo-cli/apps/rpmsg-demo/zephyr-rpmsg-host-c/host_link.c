/* The rpmsg-host link policy: see host_link.h. */
#include "host_link.h"

#include <string.h>
#include <metal/io.h>
#include <metal/utilities.h>
#include <zephyr/logging/log.h>
#include "platform_info.h"
#include "rd_js.h"
#include "rd_events.h"

LOG_MODULE_REGISTER(rpmsg_host);

static const double retry_delays_ms[RETRIES] = { 10, 20, 40, 80, 160 };

/* The one link of the program (the name-service callback gets only the device). */
static struct host_link *the_link;
static int reiniting;

static double now_ms(void)
{
	return (double)k_uptime_get();
}

static void publish_state(struct host_link *l, const char *state)
{
	struct rd_buf e = { 0 };
	rd_buf_printf(&e, "{\"type\":\"zephyr.link\",\"state\":\"%s\",\"tx\":", state);
	const double v[] = { l->tx, l->rt, l->ri, l->queue.dropped, (double)l->queue.count };
	const char *const k[] = { "tx", "rt", "ri", "dr", "q" };
	for (size_t i = 0; i < 5; i++) {
		if (i)
			rd_buf_printf(&e, ",\"%s\":", k[i]);
		rd_js_number(&e, v[i]);
	}
	rd_buf_ch(&e, '}');
	rd_publish(&e);
	rd_buf_free(&e);
}

static void request_reinit(struct host_link *l, const char *reason)
{
	if (l->reinit_requested)
		return;
	LOG_ERR("link failed (%s): RPMsg re-init requested", reason);
	l->reinit_requested = 1;
}

static void set_up(struct host_link *l, int up)
{
	if (l->up == up)
		return;
	l->up = up;
	if (up) {
		LOG_INF("link up: %s bound (%zu sample(s) queued)", RD_DEMO_ENDPOINT, l->queue.count);
		l->relink_at = 0;
	} else {
		LOG_WRN("link down: %s unbound", RD_DEMO_ENDPOINT);
		if (!reiniting)
			l->relink_at = now_ms() + RELINK_AFTER_MS;
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

/* Samples sent but not consumed by the remote: what the host posted on its transmit vring minus what the remote has used (read from shared memory). */
static size_t outstanding(struct host_link *l)
{
	struct rpmsg_virtio_device *rvdev = metal_container_of(l->rdev, struct rpmsg_virtio_device, rdev);
	struct virtqueue *svq = rvdev->svq;
	unsigned long off = metal_io_virt_to_offset(rvdev->shbuf_io, (void *)&svq->vq_ring.used->idx);
	if (off == METAL_BAD_OFFSET)
		return l->n_in_flight;
	return (uint16_t)(svq->vq_available_idx - metal_io_read16(rvdev->shbuf_io, off));
}

/* Forget in-flight samples the remote consumed (the oldest first); how many remain. */
static size_t confirm(struct host_link *l)
{
	if (!l->rdev)
		return l->n_in_flight;
	size_t left = outstanding(l);
	while (l->n_in_flight > left) {
		memmove(l->in_flight, l->in_flight + 1, (l->n_in_flight - 1) * sizeof l->in_flight[0]);
		l->n_in_flight--;
	}
	return l->n_in_flight;
}

static void make_device(struct host_link *l)
{
	l->rdev = platform_create_rpmsg_vdev(l->platform, 0, VIRTIO_DEV_DRIVER, NULL, on_announce);
	if (l->rdev)
		l->relink_at = now_ms() + RELINK_AFTER_MS;
}

void link_start(struct host_link *l, void *platform, link_command_fn on_command, void *ctx)
{
	the_link = l;
	l->platform = platform;
	l->on_command = on_command;
	l->command_ctx = ctx;
	make_device(l);
	if (l->rdev)
		LOG_INF("RPMsg host up on %s; waiting for the remote to announce its endpoints", "ipc0");
	else {
		LOG_ERR("opening ipc0 failed");
		request_reinit(l, "open failed");
	}
}

void link_enqueue(struct host_link *l, double seq, const char *bytes, size_t len)
{
	int dropped = queue_push(&l->queue, seq, bytes, len);
	if (dropped > 0)
		LOG_WRN("sample queue full: dropped %d oldest sample(s) (%.0f dropped in total)", dropped, l->queue.dropped);
}

/* Before the rings are reset: samples the remote never consumed go back to the front of the queue. */
static void requeue_in_flight(struct host_link *l)
{
	confirm(l);
	size_t n = l->n_in_flight;
	if (n == 0)
		return;
	l->n_in_flight = 0;
	l->tx -= (double)n;
	int dropped = queue_requeue(&l->queue, l->in_flight, n);
	LOG_INF("re-init #%.0f: %zu unconsumed sample(s) queued again (%d dropped)", l->ri, n, dropped);
}

static void teardown(struct host_link *l)
{
	set_up(l, 0);
	l->relink_at = 0;
	l->demo_made = l->ctrl_made = 0;
	if (!l->rdev)
		return;
	l->rdev->support_ns = 0; /* the rings are about to be reset: no name-service message goes out on them */
	platform_release_rpmsg_vdev(l->rdev, l->platform);
	l->rdev = NULL;
}

static void reinit(struct host_link *l)
{
	reiniting = 1;
	l->reinit_requested = 0;
	l->ri++;
	LOG_WRN("re-init #%.0f: tearing down the RPMsg device", l->ri);
	requeue_in_flight(l);
	publish_state(l, "reinit");
	teardown(l);
	make_device(l);
	if (!l->rdev) {
		LOG_ERR("re-init #%.0f: opening a new vdev failed; trying again in %.0f ms", l->ri, REOPEN_DELAY_MS);
		l->reopen_at = now_ms() + REOPEN_DELAY_MS;
	} else
		LOG_INF("re-init #%.0f: new vdev over the same region; re-registering %s and %s", l->ri, RD_DEMO_ENDPOINT, RD_CTRL_ENDPOINT);
	reiniting = 0;
}

/* One send attempt of sample s: 0 when sent, else the errno name of why not (EBUSY: the remote has not consumed MAX_IN_FLIGHT samples). */
static const char *attempt(struct host_link *l, const struct queued_sample *s, int *down)
{
	*down = 0;
	if (confirm(l) >= MAX_IN_FLIGHT)
		return "EBUSY";
	int err = rpmsg_trysend(&l->demo, s->bytes, (int)s->len);
	if (err >= 0)
		return NULL;
	if (err == RPMSG_ERR_NO_BUFF)
		return "ENOMEM";
	*down = 1; /* no peer to send to */
	return "ENOTCONN";
}

/* Send queued samples while the link is up; a failure waits for its retry or asks for a re-init. */
static void pump(struct host_link *l, double now)
{
	while (l->up && l->demo_made && !l->reinit_requested && l->queue.count) {
		if (l->retry_at > now)
			return;
		const struct queued_sample *head = queue_peek(&l->queue);
		int down;
		const char *code = attempt(l, head, &down);
		if (!code) {
			queue_shift(&l->queue, &l->in_flight[l->n_in_flight++]);
			l->tx++;
			l->attempt = 0;
			l->retry_at = 0;
			continue;
		}
		if (down)
			return;
		if (l->attempt >= RETRIES) {
			LOG_ERR("send of sample %.0f failed after %d retries (%s)", head->seq, RETRIES, code);
			l->attempt = 0;
			l->retry_at = 0;
			request_reinit(l, "5 retries failed");
			return;
		}
		double delay = retry_delays_ms[l->attempt++];
		l->rt++;
		LOG_WRN("send of sample %.0f failed (%s): retry %d/%d in %.0f ms", head->seq, code, l->attempt, RETRIES, delay);
		l->retry_at = now + delay;
		return;
	}
	if (!l->up) {
		l->attempt = 0;
		l->retry_at = 0;
	}
}

void link_run(struct host_link *l)
{
	double now = now_ms();
	if (l->reopen_at && now >= l->reopen_at) {
		l->reopen_at = 0;
		l->reinit_requested = 1;
	}
	if (l->relink_at && now >= l->relink_at) {
		l->relink_at = 0;
		request_reinit(l, "link down for 5000 ms");
	}
	if (l->reinit_requested)
		reinit(l);
	pump(l, now);
	if (l->reinit_requested) /* the retries ran out just now */
		reinit(l);
}

double link_next_due(const struct host_link *l)
{
	double next = -1;
	const double t[] = { l->retry_at, l->relink_at, l->reopen_at };
	for (size_t i = 0; i < 3; i++)
		if (t[i] > 0 && (next < 0 || t[i] < next))
			next = t[i];
	return next;
}
