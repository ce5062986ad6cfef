/* rd_events: events on the platform trace bus from the C apps (see rd_events.h). */
#include "rd_events.h"

#include "rd_buf.h"
#include "rd_js.h"
#include "rpmsg_demo_protocol.h"
#include "v8r_guest.h"

void rd_publish(struct rd_buf *event)
{
	if (rd_buf_ok(event))
		v8r_guest_publish(rd_buf_cstr(event), event->len);
}

static void publish_event(double control_id, const char *field, const char *json, size_t len)
{
	struct rd_buf e = { 0 };
	rd_buf_str(&e, "{\"type\":" "\"" RD_CTRL_RESULT "\"" ",\"id\":");
	rd_js_number(&e, control_id);
	rd_buf_printf(&e, ",\"%s\":", field);
	rd_buf_add(&e, json, len);
	rd_buf_ch(&e, '}');
	rd_publish(&e);
	rd_buf_free(&e);
}

void ctrl_publish_reply(double control_id, const char *reply_json, size_t len)
{
	publish_event(control_id, "reply", reply_json, len);
}

void ctrl_publish_error(double control_id, const char *code, const char *message)
{
	struct rd_buf j = { 0 };
	rd_buf_str(&j, "{\"code\":");
	rd_js_json_cstr(&j, code);
	rd_buf_str(&j, ",\"message\":");
	rd_js_json_cstr(&j, message);
	rd_buf_ch(&j, '}');
	publish_event(control_id, "error", rd_buf_cstr(&j), j.len);
	rd_buf_free(&j);
}

