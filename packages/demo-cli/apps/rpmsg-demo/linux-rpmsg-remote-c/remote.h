/*
 * rpmsg-remote in C: the state of the rpmsg-demo service of the Linux guest
 * (../linux-rpmsg-remote/rpmsg-demo-service.ts is its TypeScript twin): an
 * OpenAMP remote over the machine port, the rpmsg-demo and rpmsg-ctrl
 * endpoints with the bound handshake, the history, the status files, the
 * rpmsg-ctrl client and the trace events.
 */
#ifndef REMOTE_H
#define REMOTE_H

#include <openamp/open_amp.h>
#include "ctrl_client.h"
#include "history.h"

/** The link states shown on the status page (LinkState). */
#define LINK_WAITING "waiting for host"
#define LINK_ANNOUNCED "announced"
#define LINK_BOUND "bound"
#define LINK_DOWN "down (re-attaching)"
#define LINK_UNRESPONSIVE "host not answering"

/** Settings from the bootargs (rpmsgRemoteConfig). */
struct remote_config {
	int autorun;
	char shm_id[64];
	long port;
	long link_poll_ms;
};

/** Counters of the service (RpmsgDemoCounters). */
struct remote_counters {
	unsigned long samples, malformed, oversize, handshakes, peer_resets, reattaches, devices, published, publish_errors;
};

/** The ack heartbeat (AckHeartbeat). */
struct heartbeat {
	double sent, missed;
	double miss;    /* acks in a row, just before now, that got no reply in time (the next ack's miss) */
	int due;        /* samples came since the last ack */
	double next_at; /* platform ms of the next periodic ack */
};

/** The running service. */
struct remote {
	struct remote_config config;
	void *platform;
	struct rpmsg_device *rdev; /* NULL while the link is being made again */
	struct rpmsg_endpoint demo, ctrl;
	int demo_bound, ctrl_bound, ever_bound;
	int reset;                 /* the host re-initialised the link */
	struct history history;
	struct remote_counters counters;
	struct ctrl_client client;
	struct heartbeat heartbeat;
	unsigned long written;     /* history revision last written */
	double publish_at;         /* platform ms of the latest change: the page is rendered as of then */
	double rewrite_at;         /* platform ms of the next write while nothing changes (one period after the last) */
	int rewrite_due;           /* write the files again although the history did not change */
	int announced;             /* the endpoints are announced on a live link and rpmsg-demo is not bound yet ... */
	double announced_at;       /* ... since then (platform ms) */
	int state_dir_ready;       /* the saved counters' directory exists */
};

/** Platform time, ms. */
double remote_now(void);
/** Log a line on the console, prefixed "rpmsg-remote: ". */
void remote_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Create both endpoints on r->rdev (announced by name service). 0 or an OpenAMP error. */
int remote_create_endpoints(struct remote *r);
/** Compute the link state from what is known and publish it when it changed. */
void remote_update_link(struct remote *r);
/** Take the host's control messages (the typed control path). */
void remote_take_control(struct remote *r);
/** Write the status files when the history changed since the last write. */
void remote_publish(struct remote *r);
/** Make the status files' directory and write the first page. */
int remote_publish_init(struct remote *r);
/** Ask for a write of the status files when one period passed since the last one (nothing came meanwhile). */
void remote_rewrite_if_silent(struct remote *r, double now);
/** mkdir -p of an absolute path; 0 or an errno. */
int remote_make_dirs(const char *path);
/** Replace dir/name with text atomically (a temporary file renamed over it); 0 or an errno. */
int remote_write_atomic(const char *dir, const char *name, const struct rd_buf *text);
/* Where the counters are kept across a Linux restart (the TypeScript remote's HISTORY_STATE_FILE). */
#define REMOTE_STATE_DIR "/var/lib/rpmsg-demo"
#define REMOTE_STATE_NAME "history.json"
/** Save what the history keeps across a Linux restart (state_store.c); 0 or an errno. */
int remote_state_save(struct remote *r);
/** Take up the counters a previous instance saved, if there are any, and say so. */
void remote_state_restore(struct remote *r);
/** Start the heartbeat: the first periodic ack is due heartbeatMs after now. */
void heartbeat_init(struct remote *r, double now);
/** Send an ack now (when rpmsg-ctrl is bound). */
void heartbeat_send(struct remote *r);
/** The host answered or the link was reset: the count of unanswered acks starts again. */
void heartbeat_reset(struct remote *r);
/** How an ack ended (the rpmsg-ctrl client's callback; ctx is the remote). */
void heartbeat_end(void *ctx, enum ctrl_end end);
/** Send the periodic acks that are due by now, and the one due after samples. */
void heartbeat_tick(struct remote *r, double now);

/** Publish a linux.link event with the history's totals. */
void remote_trace_link(struct remote *r);

#endif
