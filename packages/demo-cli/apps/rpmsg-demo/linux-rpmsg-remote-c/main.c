/*
 * rpmsg-remote in C, the Linux half of the rpmsg-demo application: an
 * OpenAMP remote (virtio device) over the machine port (platform_info.h)
 * that announces rpmsg-demo and rpmsg-ctrl, answers the bound handshake,
 * validates and keeps every status sample, and writes
 * /usr/share/nginx/html/zephyr-status.html and zephyr-status.json after each
 * one (atomically, through WASI), and again every period while none comes.
 * It keeps its counters across a Linux restart (state_store.c). When the
 * host re-initialises the link it releases the device and makes it again,
 * which announces both endpoints anew. The TypeScript twin is
 * ../linux-rpmsg-remote/; both speak the protocol of ../PROTOCOL.md,
 * generated into rpmsg_demo_protocol.h.
 *
 * Arguments (the domain's bootargs): shm_id=ID (default rpmsg-shm),
 * evtchn=PORT (default 0xa), link_poll_ms=MS (default 250), autorun=0
 * (the C app has no console commands: it stops at once).
 *
 *   v8r-cc -I../c -o rpmsg-remote.wasm *.c ../c/rd_*.c
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strcasecmp, mkdir */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "platform_info.h"
#include "remote.h"

static struct remote app;

/* A bootargs integer as bootargInt reads it: decimal or 0x hex; the fallback when absent or empty. */
static int arg_int(const char *v, long min, long max, long *out)
{
	char *end = NULL;
	if (*v == '\0')
		return 0;
	int hex = (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'));
	if (!hex && (*v < '0' || *v > '9'))
		return -1;
	errno = 0;
	long n = strtol(hex ? v + 2 : v, &end, hex ? 16 : 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int read_config(int argc, char **argv, struct remote_config *c)
{
	c->autorun = 1;
	snprintf(c->shm_id, sizeof c->shm_id, "%s", RD_LINK_DEFAULTS_SHM_ID);
	c->port = RD_LINK_DEFAULTS_PORT;
	c->link_poll_ms = 250;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		const char *v = eq ? eq + 1 : "";
		size_t klen = eq ? (size_t)(eq - a) : strlen(a);
		int bad = 0;
		if (klen == 7 && !strncmp(a, "autorun", 7))
			c->autorun = !(!strcmp(v, "0") || !strcasecmp(v, "n") || !strcasecmp(v, "no") || !strcasecmp(v, "off") || !strcasecmp(v, "false"));
		else if (klen == 6 && !strncmp(a, "shm_id", 6) && *v) {
			bad = strlen(v) >= sizeof c->shm_id;
			if (!bad)
				snprintf(c->shm_id, sizeof c->shm_id, "%s", v);
		} else if (klen == 6 && !strncmp(a, "evtchn", 6))
			bad = arg_int(v, 1, 4095, &c->port);
		else if (klen == 12 && !strncmp(a, "link_poll_ms", 12))
			bad = arg_int(v, 1, 3600000, &c->link_poll_ms);
		if (bad) {
			fprintf(stderr, "rpmsg-remote: bootargs: %s is not valid\n", a);
			return -1;
		}
	}
	return 0;
}

static int send_ctrl(void *ctx, const void *data, size_t len)
{
	struct remote *r = ctx;
	return rpmsg_trysend(&r->ctrl, data, (int)len);
}

static void on_reset(struct virtio_device *vdev)
{
	(void)vdev;
	app.reset = 1;
	app.counters.peer_resets++;
	app.demo_bound = app.ctrl_bound = 0;
	heartbeat_reset(&app);
	remote_log("the host re-initialised the link; re-announcing endpoints");
	remote_update_link(&app);
}

/* How long serve() may wait: until the next heartbeat, ctrl deadline, rewrite or bind deadline, at most link_poll_ms. */
static unsigned int wait_ms(const struct remote *r, double now)
{
	double next = ctrl_client_next_deadline(&r->client);
	if (next < 0 || r->heartbeat.next_at < next)
		next = r->heartbeat.next_at;
	if (r->rewrite_at < next)
		next = r->rewrite_at;
	double bind_by = r->announced_at + RD_LIVENESS_BIND_WITHIN_MS;
	if (r->announced && bind_by > now && bind_by < next) /* the state turns to host not answering then */
		next = bind_by;
	double left = ceil(next - now), poll = (double)r->config.link_poll_ms;
	return (unsigned int)(left < 0 ? 0 : left < poll ? left : poll);
}

/* Serve the link until the host re-initialises it. */
static void serve(struct remote *r)
{
	while (!r->reset) {
		v8r_platform_poll_timeout(r->platform, wait_ms(r, remote_now()));
		if (r->reset)
			break;
		double now = remote_now();
		remote_take_control(r);
		ctrl_client_expire(&r->client, now);
		heartbeat_tick(r, now);
		remote_update_link(r);
		remote_rewrite_if_silent(r, now);
		remote_publish(r);
	}
}

/* The host re-initialised the link: forget the device (nothing may be sent on rings it no longer owns, not even name-service messages). */
static void drop_device(struct remote *r)
{
	ctrl_client_cancel_all(&r->client, "the host re-initialised the link");
	r->rdev->support_ns = 0;
	platform_release_rpmsg_vdev(r->rdev, r->platform);
	r->rdev = NULL;
	remote_update_link(r);
	remote_publish(r);
}

int main(int argc, char **argv)
{
	struct remote *r = &app;
	if (read_config(argc, argv, &r->config))
		return 2;
	if (!r->config.autorun) {
		remote_log("autorun is off, and this C rpmsg-remote has no console commands: it stops here");
		return 0;
	}
	history_init(&r->history);
	ctrl_client_init(&r->client, send_ctrl, r, heartbeat_end, r);
	r->publish_at = remote_now();
	heartbeat_init(r, r->publish_at);
	char shm[80], port[32], poll[32];
	snprintf(shm, sizeof shm, "shm_id=%s", r->config.shm_id);
	snprintf(port, sizeof port, "evtchn=%ld", r->config.port);
	snprintf(poll, sizeof poll, "poll_ms=%ld", r->config.link_poll_ms);
	char *pargv[] = { argv[0], shm, port, poll, NULL };
	if (platform_init(4, pargv, &r->platform)) {
		remote_log("could not start: no shared memory \"%s\" or event channel %ld", r->config.shm_id, r->config.port);
		return 1;
	}
	remote_state_restore(r); /* a restarted Linux goes on counting where the previous one stopped */
	remote_update_link(r);
	if (remote_publish_init(r))
		return 1;
	remote_log("started on xen-shmem \"%s\", evtchn port %ld; writing /usr/share/nginx/html/zephyr-status.html", r->config.shm_id, r->config.port);
	for (;;) {
		r->rdev = platform_create_rpmsg_vdev(r->platform, 0, VIRTIO_DEV_DEVICE, on_reset, NULL);
		if (!r->rdev) {
			remote_log("making the OpenAMP remote failed");
			return 1;
		}
		r->counters.devices++;
		r->reset = 0;
		int err = remote_create_endpoints(r);
		if (err) {
			remote_log("announcing the endpoints failed: OpenAMP error %d", err);
			return 1;
		}
		remote_update_link(r);
		remote_publish(r);
		serve(r);
		drop_device(r);
	}
}
