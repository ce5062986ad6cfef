/*
 * The rpmsg-host link policy in C (../zephyr-rpmsg-host/host-link.ts): the
 * RPMsg device in the host role over the machine port, the rpmsg-demo and
 * rpmsg-ctrl endpoints made when the remote announces them (with Zephyr's
 * bound handshake), a sender that sends queued samples oldest first and
 * retries a failed send after 10, 20, 40, 80 and 160 ms, and a re-init that
 * tears the RPMsg device down and makes a new one over the same region
 * (platform_release_rpmsg_vdev + platform_create_rpmsg_vdev, which runs
 * rpmsg_init_vdev again) when the retries are exhausted or the link stays
 * down for 5 s. Samples sent but not consumed by the remote go back to the
 * front of the queue before the rings are reset. Event-driven: the main
 * loop calls link_run() after every wait and waits until link_next_due().
 */
#ifndef HOST_LINK_H
#define HOST_LINK_H

#include <openamp/open_amp.h>
#include "rd_buf.h"
#include "sample_queue.h"

/** The policy (DEFAULT_LINK_POLICY). */
#define RETRIES 5
#define RELINK_AFTER_MS 5000.0
#define REOPEN_DELAY_MS 1000.0
#define MAX_IN_FLIGHT 8

/** Turns a command message into its reply (written into reply). */
typedef void (*link_command_fn)(void *ctx, const uint8_t *data, size_t len, struct rd_buf *reply);

/** The host side of the demo link. */
struct host_link {
	void *platform;
	struct rpmsg_device *rdev;
	struct rpmsg_endpoint demo, ctrl;
	int demo_made, ctrl_made; /* the remote announced it and we made ours */
	int up;                   /* rpmsg-demo bound */
	double tx, rt, ri;
	struct sample_queue queue;
	struct queued_sample in_flight[MAX_IN_FLIGHT];
	size_t n_in_flight;
	int attempt;              /* retries of the head sample so far */
	double retry_at;          /* uptime of the next attempt (0: none waiting) */
	double relink_at;         /* uptime at which a link still down is re-initialised (0: not armed) */
	double reopen_at;         /* uptime of the next try to make a device (0: none) */
	int reinit_requested;
	const char *reinit_reason;
	link_command_fn on_command;
	void *command_ctx;
};

/** Make the device and start waiting for the remote's announcements. */
void link_start(struct host_link *l, void *platform, link_command_fn on_command, void *ctx);
/** Queue an encoded sample; logs when the queue dropped older ones. */
void link_enqueue(struct host_link *l, double seq, const char *bytes, size_t len);
/** Do what is due: a requested re-init, the sender, the relink timer. */
void link_run(struct host_link *l);
/** Uptime of the link's next timer, or a negative number when nothing is due but events. */
double link_next_due(const struct host_link *l);

#endif
