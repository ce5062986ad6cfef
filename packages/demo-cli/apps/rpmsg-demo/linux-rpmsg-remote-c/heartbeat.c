/*
 * rpmsg-remote in C: its side of the link's liveness protocol (PROTOCOL.md,
 * "Liveness"; ../linux-rpmsg-remote/_ack-heartbeat.ts): the ack command on
 * rpmsg-ctrl, which tells the host which samples arrived and how many acks
 * in a row it left unanswered. Sent every heartbeatMs and after every pass
 * that accepted samples.
 */
#include <stdlib.h>
#include "remote.h"

void heartbeat_init(struct remote *r, double now)
{
	r->heartbeat.next_at = now + RD_LIVENESS_HEARTBEAT_MS;
}

/* Whether rpmsg-ctrl is bound now (acks are sent only then). */
static int can_send(const struct remote *r)
{
	return r->rdev && !r->reset && r->ctrl_bound;
}

void heartbeat_send(struct remote *r)
{
	struct heartbeat *hb = &r->heartbeat;
	if (!can_send(r))
		return;
	hb->due = 0;
	const struct history_boot *last = r->history.n_boots ? &r->history.boots[r->history.n_boots - 1] : NULL;
	double args[3] = { last ? (double)strtoul(last->boot, NULL, 16) : 0, last ? last->last_seq + 1 : 0, hb->miss };
	hb->sent++;
	ctrl_client_own(&r->client, RD_CMD_ACK, args, RD_LIVENESS_REPLY_TIMEOUT_MS, remote_now());
}

void heartbeat_reset(struct remote *r)
{
	if (r->heartbeat.miss == 0)
		return;
	r->heartbeat.miss = 0;
	remote_update_link(r);
}

void heartbeat_end(void *ctx, enum ctrl_end end)
{
	struct remote *r = ctx;
	if (end == CTRL_REPLIED)
		heartbeat_reset(r);
	else if (end == CTRL_TIMED_OUT) { /* cancelled by a reset, or not sent: not the host's silence */
		r->heartbeat.miss++;
		r->heartbeat.missed++;
		remote_update_link(r);
	}
}

void heartbeat_tick(struct remote *r, double now)
{
	while (now >= r->heartbeat.next_at) {
		heartbeat_send(r);
		r->heartbeat.next_at += RD_LIVENESS_HEARTBEAT_MS;
	}
	if (r->heartbeat.due)
		heartbeat_send(r);
}
