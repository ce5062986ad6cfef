/*
 * rpmsg-host in C, the Zephyr half of the rpmsg-demo application: every
 * period it samples its Zephyr (the Zephyr C API of zephyr/kernel.h) and
 * sends the status sample on rpmsg-demo; it answers ping, period and sample
 * on rpmsg-ctrl, and the same commands from the host's typed control path.
 * The link (host_link.c) retries a failed send, then tears the RPMsg device
 * down and makes it again with rpmsg_init_vdev. The TypeScript twin is
 * ../zephyr-rpmsg-host/; both speak the protocol of ../PROTOCOL.md,
 * generated into rpmsg_demo_protocol.h.
 *
 * Arguments (the domain's bootargs): period_ms=N (100..60000, default 1000),
 * seed=N (a deterministic boot id), shm_id=ID and evtchn=PORT (the link,
 * default rpmsg-shm and 0xa).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zephyr/logging/log.h>
#include "boot_id.h"
#include "host_link.h"
#include "platform_info.h"
#include "rd_ctrl.h"
#include "rd_events.h"
#include "rd_json.h"
#include "sampler.h"
#include "v8r_guest.h"

LOG_MODULE_REGISTER(rpmsg_host);

/** The application's version (the TypeScript rpmsg-host's). */
#define RPMSG_HOST_VERSION "v1.0.0"

struct app {
	struct sampler sampler;
	struct host_link link;
	double next_sample; /* uptime of the next sample */
};

static struct app app;

/* A bootargs integer as bootargInt reads it: decimal or 0x hex, in min..max. 1 with the value, 0 when absent, -1 when bad (why says so). */
static int arg_int(int argc, char **argv, const char *key, double min, double max, double *out, char *why, size_t why_len)
{
	size_t klen = strlen(key);
	for (int i = argc - 1; i >= 1; i--) {
		if (strncmp(argv[i], key, klen) || argv[i][klen] != '=')
			continue;
		const char *v = argv[i] + klen + 1;
		if (*v == '\0')
			return 0;
		int hex = v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
		char *end = NULL;
		errno = 0;
		double n = hex ? (double)strtoull(v + 2, &end, 16) : (*v >= '0' && *v <= '9' ? (double)strtoull(v, &end, 10) : -1);
		if (n < 0 || errno || *end || n < min || n > max) {
			snprintf(why, why_len, "[xen-dom0less] bootargs: %s=%s is not an integer in %.0f..%.0f", key, v, min, max);
			return -1;
		}
		*out = n;
		return 1;
	}
	return 0;
}

static double sample_now(struct app *a)
{
	static struct sample_facts taken;
	struct host_link *l = &a->link;
	struct link_counters ipc = { l->tx, l->rt, l->ri, queue_drops_below(&l->queue, a->sampler.next_seq), (double)l->queue.count };
	if (sampler_take(&a->sampler, &ipc, &taken) != 0)
		return -1;
	link_enqueue(l, &taken);
	return taken.f.seq;
}

static void set_period(struct app *a, double ms)
{
	a->sampler.per = ms;
	a->next_sample = (double)k_uptime_get() + ms;
	LOG_INF("sampling period set to %.0f ms", ms);
}

/* The command handlers (CtrlHandlers). */
static void handle(void *ctx, enum rd_cmd cmd, const double *args, double *results)
{
	struct app *a = ctx;
	switch (cmd) {
	case RD_CMD_PING:
		results[0] = (double)k_uptime_get();
		break;
	case RD_CMD_PERIOD:
		set_period(a, args[0]);
		results[0] = args[0];
		break;
	case RD_CMD_SAMPLE:
		results[0] = sample_now(a);
		break;
	case RD_CMD_ACK:
		link_acknowledge(&a->link, args[0], args[1], args[2]);
		results[0] = (double)k_uptime_get();
		break;
	default:
		break;
	}
}

static void on_command(void *ctx, const uint8_t *data, size_t len, struct rd_buf *reply)
{
	rd_ctrl_serve(data, len, handle, ctx, reply);
}

/* The typed control path: the host's rpmsg-demo.ctrl messages, run here as if they came on rpmsg-ctrl. */
static void take_control(struct app *a)
{
	static char buf[RD_JSON_MAX_TEXT];
	static struct rd_json_doc doc;
	int n;
	while ((n = v8r_guest_control(buf, sizeof buf)) != 0) {
		double id, timeout_ms, args[RD_CTRL_MAX_INTS] = { 0 };
		enum rd_cmd cmd;
		if (n < 0 || rd_json_read_object(&doc, (const uint8_t *)buf, (size_t)n, sizeof buf) != RD_JSON_OK ||
		    !rd_ctrl_read_request(&doc, &id, &cmd, args, &timeout_ms, 0))
			continue;
		struct rd_buf command = { 0 }, reply = { 0 };
		rd_ctrl_encode_command(&command, id, cmd, args);
		rd_ctrl_serve((const uint8_t *)rd_buf_cstr(&command), command.len, handle, a, &reply);
		ctrl_publish_reply(id, rd_buf_cstr(&reply), reply.len);
		rd_buf_free(&command);
		rd_buf_free(&reply);
	}
}

/* Wait until the next sample or link timer is due, or an event comes. */
static void wait_next(struct app *a)
{
	double now = (double)k_uptime_get();
	double due = a->next_sample, link = link_next_due(&a->link);
	if (link < due)
		due = link;
	double timeout = due > now ? ceil(due - now) : 0;
	if (a->link.rdev)
		v8r_platform_poll_timeout(a->link.platform, (unsigned int)timeout);
	else
	{
		struct timespec ts = { (time_t)(timeout / 1000), (long)fmod(timeout, 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
}

static double platform_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	struct app *a = &app;
	double per = RD_DEFAULT_PERIOD_MS, seed = 0;
	char why[160];
	if (arg_int(argc, argv, "period_ms", RD_PERIOD_RANGE_MS_MIN, RD_PERIOD_RANGE_MS_MAX, &per, why, sizeof why) < 0)
		LOG_ERR("%s; using %.0f ms", why, per = RD_DEFAULT_PERIOD_MS);
	int has_seed = arg_int(argc, argv, "seed", 0, 4294967295.0, &seed, why, sizeof why);
	if (has_seed < 0)
		LOG_ERR("%s; using a random boot id", why);
	char boot[9];
	/* the platform time at boot salts a seeded id: a restart gets a new id, a replay the same ones */
	boot_id_make(boot, has_seed > 0, (uint32_t)seed, floor(platform_ms()));
	LOG_INF("boot id %s; sampling every %.0f ms", boot, per);
	sampler_init(&a->sampler, boot, per);
	char *pargv[64], shm[] = "shm_id=" RD_LINK_DEFAULTS_SHM_ID, port[32];
	snprintf(port, sizeof port, "evtchn=%d", RD_LINK_DEFAULTS_PORT);
	int pargc = 0;
	pargv[pargc++] = argv[0];
	pargv[pargc++] = shm;
	pargv[pargc++] = port;
	for (int i = 1; i < argc && pargc < 63; i++) /* shm_id= and evtchn= in the bootargs come later and win */
		pargv[pargc++] = argv[i];
	pargv[pargc] = NULL;
	void *platform;
	if (platform_init(pargc, pargv, &platform)) {
		LOG_ERR("no shared memory region or event channel for the link");
		return 1;
	}
	a->next_sample = (double)k_uptime_get() + per;
	link_start(&a->link, platform, boot, on_command, a);
	for (;;) {
		double now = (double)k_uptime_get();
		if (now >= a->next_sample) {
			sample_now(a);
			while (a->next_sample <= now)
				a->next_sample += a->sampler.per;
		}
		take_control(a);
		link_run(&a->link);
		wait_next(a);
	}
}
