/* The rpmsg-ctrl client: see ctrl_client.h. */
#include "ctrl_client.h"

#include <string.h>
#include "rd_buf.h"
#include "rd_js.h"

void ctrl_client_init(struct ctrl_client *c, ctrl_send_fn send, void *ctx, ctrl_own_fn own_end, void *own_ctx)
{
	memset(c, 0, sizeof *c);
	c->next_id = 1;
	c->send = send;
	c->ctx = ctx;
	c->own_end = own_end;
	c->own_ctx = own_ctx;
}

/* Request r ended: an own request tells own_end; the host's is answered by the caller. */
static void end_own(struct ctrl_client *c, struct ctrl_request *r, enum ctrl_end end)
{
	r->used = 0;
	c->own_end(c->own_ctx, end);
}

/* Fail request r with code and a message "[rpmsg-demo] rpmsg-ctrl <cmd> (id <id>): <what>" (or text as given when cmd_prefix is 0). */
static void fail(struct ctrl_client *c, struct ctrl_request *r, const char *code, const char *what, int cmd_prefix)
{
	if (r->own) {
		end_own(c, r, !strcmp(code, "ETIMEDOUT") ? CTRL_TIMED_OUT : CTRL_FAILED);
		return;
	}
	struct rd_buf m = { 0 };
	if (cmd_prefix) {
		rd_buf_printf(&m, "[rpmsg-demo] rpmsg-ctrl %s (id ", rd_ctrl_spec(r->cmd)->cmd);
		rd_js_number(&m, r->id);
		rd_buf_str(&m, "): ");
	}
	rd_buf_str(&m, what);
	ctrl_publish_error(r->control_id, code, rd_buf_cstr(&m));
	rd_buf_free(&m);
	r->used = 0;
}

static void send_one(struct ctrl_client *c, struct ctrl_request *r)
{
	int err = c->send(c->ctx, r->text, r->len);
	r->sent = 1;
	if (err < 0) {
		struct rd_buf why = { 0 };
		rd_buf_printf(&why, "sending failed: OpenAMP error %d", err);
		fail(c, r, "EIO", rd_buf_cstr(&why), 1);
		rd_buf_free(&why);
	}
}

/* A free slot with command cmd encoded under the next id, or NULL when every slot waits. */
static struct ctrl_request *new_request(struct ctrl_client *c, enum rd_cmd cmd, const double *args, double timeout_ms, double now)
{
	struct ctrl_request *r = NULL;
	for (size_t i = 0; i < CTRL_MAX_PENDING && !r; i++)
		if (!c->pending[i].used)
			r = &c->pending[i];
	if (!r)
		return NULL;
	struct rd_buf text = { 0 };
	rd_ctrl_encode_command(&text, c->next_id, cmd, args);
	memset(r, 0, sizeof *r);
	r->used = 1;
	r->id = c->next_id++;
	r->cmd = cmd;
	r->timeout_ms = timeout_ms;
	r->deadline = now + timeout_ms;
	r->len = text.len < sizeof r->text ? text.len : sizeof r->text - 1;
	memcpy(r->text, rd_buf_cstr(&text), r->len);
	rd_buf_free(&text);
	return r;
}

void ctrl_client_request(struct ctrl_client *c, double control_id, enum rd_cmd cmd, const double *args, double timeout_ms, double now, int bound)
{
	struct ctrl_request *r = new_request(c, cmd, args, timeout_ms, now);
	if (!r) {
		ctrl_publish_error(control_id, "EBUSY", "[rpmsg-demo] rpmsg-ctrl: too many requests waiting for Zephyr");
		return;
	}
	r->control_id = control_id;
	if (bound)
		send_one(c, r);
}

void ctrl_client_own(struct ctrl_client *c, enum rd_cmd cmd, const double *args, double timeout_ms, double now)
{
	struct ctrl_request *r = new_request(c, cmd, args, timeout_ms, now);
	if (!r)
		return;
	r->own = 1;
	send_one(c, r);
}

void ctrl_client_bound(struct ctrl_client *c)
{
	for (size_t i = 0; i < CTRL_MAX_PENDING; i++)
		if (c->pending[i].used && !c->pending[i].sent)
			send_one(c, &c->pending[i]);
}

int ctrl_client_message(struct ctrl_client *c, const uint8_t *data, size_t len)
{
	struct rd_ctrl_reply reply;
	struct ctrl_request *r = NULL;
	if (rd_ctrl_parse_reply(data, len, &reply) && !reply.id_null)
		for (size_t i = 0; i < CTRL_MAX_PENDING && !r; i++)
			if (c->pending[i].used && c->pending[i].sent && c->pending[i].id == reply.id)
				r = &c->pending[i];
	if (!r) {
		c->unmatched++;
		return 0;
	}
	struct rd_buf why = { 0 };
	if (reply.ok && !rd_ctrl_reply_fields(r->cmd, data, len, NULL, &why)) {
		fail(c, r, "EPROTO", rd_buf_cstr(&why), 1);
	} else if (r->own) {
		end_own(c, r, CTRL_REPLIED);
	} else {
		struct rd_buf json = { 0 };
		rd_ctrl_reply_json(&json, data, len, &reply);
		ctrl_publish_reply(r->control_id, rd_buf_cstr(&json), json.len);
		rd_buf_free(&json);
		r->used = 0;
	}
	rd_buf_free(&why);
	return 1;
}

void ctrl_client_expire(struct ctrl_client *c, double now)
{
	for (size_t i = 0; i < CTRL_MAX_PENDING; i++) {
		struct ctrl_request *r = &c->pending[i];
		if (!r->used || now < r->deadline)
			continue;
		struct rd_buf why = { 0 };
		if (r->sent) {
			rd_buf_str(&why, "no reply within ");
			rd_js_number(&why, r->timeout_ms);
			rd_buf_str(&why, " ms");
			fail(c, r, "ETIMEDOUT", rd_buf_cstr(&why), 1);
		} else {
			rd_buf_str(&why, "sending failed: rpmsg-ctrl was not bound within ");
			rd_js_number(&why, r->timeout_ms);
			rd_buf_str(&why, " ms");
			fail(c, r, "EIO", rd_buf_cstr(&why), 1);
		}
		rd_buf_free(&why);
	}
}

void ctrl_client_cancel_all(struct ctrl_client *c, const char *reason)
{
	for (size_t i = 0; i < CTRL_MAX_PENDING; i++) {
		struct ctrl_request *r = &c->pending[i];
		if (!r->used)
			continue;
		struct rd_buf m = { 0 };
		rd_buf_str(&m, "[rpmsg-demo] rpmsg-ctrl request ");
		rd_js_number(&m, r->id);
		rd_buf_printf(&m, " cancelled: %s", reason);
		fail(c, r, "ECANCELED", rd_buf_cstr(&m), 0);
		rd_buf_free(&m);
	}
}

double ctrl_client_next_deadline(const struct ctrl_client *c)
{
	double next = -1;
	for (size_t i = 0; i < CTRL_MAX_PENDING; i++)
		if (c->pending[i].used && (next < 0 || c->pending[i].deadline < next))
			next = c->pending[i].deadline;
	return next;
}
