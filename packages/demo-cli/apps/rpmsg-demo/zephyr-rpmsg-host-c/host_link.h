/*
 * The rpmsg-host link policy in C (../zephyr-rpmsg-host/host-link.ts): the
 * RPMsg device in the host role over the machine port, the rpmsg-demo and
 * rpmsg-ctrl endpoints made when the remote announces them (Zephyr's bound
 * handshake), and a sender that sends queued samples oldest first, at most
 * 16 of them unacknowledged (the remote's ack command, PROTOCOL.md
 * "Liveness"), retrying a failed send after 10, 20, 40, 80 and 160 ms. The
 * link re-initialises the RPMsg device (platform_release_rpmsg_vdev, then
 * platform_create_rpmsg_vdev, which runs rpmsg_init_vdev again over the
 * same region) as soon as the remote looks dead or reset: nothing heard for
 * 1 s, a sample unacknowledged that long, the remote missing replies, the
 * link unbound that long (then 2, 4, 8 s), or a send failing after its
 * retries. Samples in flight then go out again. Until the link has been up
 * once (the remote may start late: v8r-demo --no-autorun), those re-inits
 * are the wait for a peer, said once at info level and logged at debug
 * level. Event-driven: the main
 * loop calls link_run() after every wait and waits until link_next_due().
 */
#ifndef HOST_LINK_H
#define HOST_LINK_H

#include <openamp/open_amp.h>
#include "rd_buf.h"
#include "sample_queue.h"

/** The policy (DEFAULT_LINK_POLICY). */
#define RETRIES 5
#define REOPEN_DELAY_MS 1000.0
#define MAX_IN_FLIGHT 16

/** Turns a command message into its reply (written into reply). */
typedef void (*link_command_fn)(void *ctx, const uint8_t *data, size_t len, struct rd_buf *reply);

/** The host side of the demo link. */
struct host_link {
	void *platform;
	struct rpmsg_device *rdev;
	struct rpmsg_endpoint demo, ctrl;
	int demo_made, ctrl_made; /* the remote announced it and we made ours */
	int up;                   /* rpmsg-demo bound */
	char boot[9];
	double tx, rt, ri, delivered;
	struct sample_queue queue;
	int attempt;              /* retries of the next sample so far */
	double retry_at;          /* uptime of the next attempt (0: none waiting) */
	double reopen_at;         /* uptime of the next try to make a device (0: none) */
	double watch_at;          /* uptime of the next liveness check */
	double last_heard;        /* uptime the remote was last heard on rpmsg-ctrl (or the link came up) */
	double down_since;        /* uptime since when the link has been unbound */
	double relink_ms;         /* current wait before re-initialising an unbound link */
	int reinit_requested;
	int ever_up;              /* the link was up once: until then Zephyr waits for its peer, quietly (link_log) */
	link_command_fn on_command;
	void *command_ctx;
};

/** Make the device and start waiting for the remote's announcements. */
void link_start(struct host_link *l, void *platform, const char boot[9], link_command_fn on_command, void *ctx);
/** Queue a taken sample. */
void link_enqueue(struct host_link *l, const struct sample_facts *facts);
/** The remote's ack: it has every sample of boot (as a number) before next; miss of its acks got no reply. */
void link_acknowledge(struct host_link *l, double boot, double next, double miss);
/** Do what is due: a requested re-init, the liveness watch, the sender. */
void link_run(struct host_link *l);
/** Uptime of the link's next timer. */
double link_next_due(const struct host_link *l);

#endif
