/*
 * rpmsg-remote in C: the typed control path (../protocol/platform-control.ts
 * and ../linux-rpmsg-remote/_ctrl-requests.ts): an rpmsg-demo.ctrl control
 * message from the host is sent to Zephyr over rpmsg-ctrl, and the outcome
 * goes back as an rpmsg-demo.ctrl-result event.
 */
#include <string.h>
#include "rd_js.h"
#include "rd_json.h"
#include "remote.h"
#include "v8r_guest.h"

void remote_take_control(struct remote *r)
{
	static char buf[RD_JSON_MAX_TEXT];
	static struct rd_json_doc doc;
	int n;
	while ((n = v8r_guest_control(buf, sizeof buf)) != 0) {
		if (n < 0 || rd_json_read_object(&doc, (const uint8_t *)buf, (size_t)n, sizeof buf) != RD_JSON_OK)
			continue;
		double id, timeout_ms, args[RD_CTRL_MAX_INTS] = { 0 };
		enum rd_cmd cmd;
		if (!rd_ctrl_read_request(&doc, &id, &cmd, args, &timeout_ms, CTRL_TIMEOUT_MS))
			continue;
		if (!r->rdev || r->reset) {
			ctrl_publish_error(id, "EIO", "[rpmsg-demo] rpmsg-ctrl: the link is being re-created");
			continue;
		}
		ctrl_client_request(&r->client, id, cmd, args, timeout_ms, remote_now(), r->ctrl_bound);
	}
}
