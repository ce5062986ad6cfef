/*
 * The client side of rpmsg-ctrl (../linux-rpmsg-remote/rpmsg-ctrl-client.ts):
 * commands sent to Zephyr, each waiting for the reply with its id until a
 * deadline. Requests come from the host's typed control path; their outcome
 * goes back to it as an rpmsg-demo.ctrl-result event.
 */
#ifndef CTRL_CLIENT_H
#define CTRL_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include "rd_ctrl.h"
#include "rd_events.h"

/** Default reply timeout, ms (DEFAULT_CTRL_TIMEOUT_MS). */
#define CTRL_TIMEOUT_MS 2000.0
/** Most requests waiting at once. */
#define CTRL_MAX_PENDING 16

/** How a request of the remote's own (an ack) ended. */
enum ctrl_end { CTRL_REPLIED, CTRL_TIMED_OUT, CTRL_FAILED };

/** Told how a request of the remote's own ended. */
typedef void (*ctrl_own_fn)(void *ctx, enum ctrl_end end);

/** One waiting request. */
struct ctrl_request {
	int used;
	double id;         /* on rpmsg-ctrl */
	int own;           /* the remote's own (an ack): its end goes to own_end, not to the host */
	double control_id; /* of the host's control message */
	enum rd_cmd cmd;
	double deadline;   /* platform ms */
	double timeout_ms;
	int sent;          /* 0: waiting for rpmsg-ctrl to be bound */
	char text[RD_CTRL_MAX_BYTES + 1];
	size_t len;
};

/** Sends a command on rpmsg-ctrl: 0, or a negative OpenAMP error. */
typedef int (*ctrl_send_fn)(void *ctx, const void *data, size_t len);

/** The client. */
struct ctrl_client {
	struct ctrl_request pending[CTRL_MAX_PENDING];
	double next_id;
	unsigned long unmatched;
	ctrl_send_fn send;
	void *ctx;
	ctrl_own_fn own_end;
	void *own_ctx;
};

/** Start with no request; the first id is 1; own_end hears how the remote's own requests end. */
void ctrl_client_init(struct ctrl_client *c, ctrl_send_fn send, void *ctx, ctrl_own_fn own_end, void *own_ctx);
/**
 * Send command cmd (args in table order) for the host's control message
 * control_id; bound says whether rpmsg-ctrl can carry it now (else it is
 * sent once bound). The outcome is published when it is known.
 */
void ctrl_client_request(struct ctrl_client *c, double control_id, enum rd_cmd cmd, const double *args, double timeout_ms, double now, int bound);
/** Send the remote's own command cmd now (rpmsg-ctrl is bound): its end goes to own_end. */
void ctrl_client_own(struct ctrl_client *c, enum rd_cmd cmd, const double *args, double timeout_ms, double now);
/** rpmsg-ctrl is bound: send what waited for it. */
void ctrl_client_bound(struct ctrl_client *c);
/** A message received on rpmsg-ctrl: 1 when it answered a request. */
int ctrl_client_message(struct ctrl_client *c, const uint8_t *data, size_t len);
/** Fail the requests whose deadline passed. */
void ctrl_client_expire(struct ctrl_client *c, double now);
/** Fail every waiting request with ECANCELED (the link went away). */
void ctrl_client_cancel_all(struct ctrl_client *c, const char *reason);
/** The earliest deadline of a waiting request, or a negative number when none waits. */
double ctrl_client_next_deadline(const struct ctrl_client *c);


#endif
