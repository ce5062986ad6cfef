/*
 * rpmsg-remote in C: the typed control path (../protocol/platform-control.ts
 * and ../linux-rpmsg-remote/_ctrl-requests.ts): an rpmsg-demo.ctrl control
 * message from the host is sent to Zephyr over rpmsg-ctrl, and the outcome
 * goes back as an rpmsg-demo.ctrl-result event.
 */
#include <math.h>
#include <string.h>
#include "rd_js.h"
#include "rd_json.h"
#include "remote.h"
#include "v8r_guest.h"

/* isCtrlRequest: the command and its arguments when message is a well-formed request. */
static int ctrl_request(const struct rd_json_doc *doc, double *id, enum rd_cmd *cmd, double *args, double *timeout_ms)
{
	const struct rd_json_node *m = &doc->nodes[0];
	const struct rd_json_node *type = rd_json_get(doc, m, "type"), *idv = rd_json_get(doc, m, "id");
	const struct rd_json_node *tmo = rd_json_get(doc, m, "timeoutMs"), *command = rd_json_get(doc, m, "command");
	if (!type || type->type != RD_JSON_STRING || type->len != strlen(RD_CTRL_REQUEST) || memcmp(type->str, RD_CTRL_REQUEST, type->len))
		return 0;
	if (!idv || idv->type != RD_JSON_NUMBER || !rd_js_is_safe_integer(idv->number))
		return 0;
	if (tmo && !(tmo->type == RD_JSON_NUMBER && tmo->number > 0))
		return 0;
	if (!command || command->type != RD_JSON_OBJECT)
		return 0;
	const struct rd_json_node *name = rd_json_get(doc, command, "cmd");
	char cmd_name[32] = "";
	if (!name || name->type != RD_JSON_STRING || name->len >= sizeof cmd_name)
		return 0;
	memcpy(cmd_name, name->str, name->len);
	*cmd = rd_ctrl_lookup(cmd_name);
	if (*cmd == RD_CMD_COUNT || strlen(cmd_name) != name->len || rd_ctrl_spec(*cmd)->link)
		return 0;
	const struct rd_ctrl_command *spec = rd_ctrl_spec(*cmd);
	for (size_t a = 0; a < spec->n_args && a < RD_CTRL_MAX_INTS; a++) {
		const struct rd_json_node *v = rd_json_get(doc, command, spec->args[a].key);
		if (!v || v->type != RD_JSON_NUMBER || !isfinite(v->number) || v->number != trunc(v->number))
			return 0;
		args[a] = v->number;
	}
	*id = idv->number;
	*timeout_ms = tmo ? tmo->number : CTRL_TIMEOUT_MS;
	return 1;
}

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
		if (!ctrl_request(&doc, &id, &cmd, args, &timeout_ms))
			continue;
		if (!r->rdev || r->reset) {
			ctrl_publish_error(id, "EIO", "[rpmsg-demo] rpmsg-ctrl: the link is being re-created");
			continue;
		}
		ctrl_client_request(&r->client, id, cmd, args, timeout_ms, remote_now(), r->ctrl_bound);
	}
}
