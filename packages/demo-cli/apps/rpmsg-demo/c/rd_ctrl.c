/* rd_ctrl: see rd_ctrl.h. The table comes from the generated header. */
#include <stdint.h>
#define RD_CTRL_TABLES
#include "rd_ctrl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "rd_js.h"
#include "rd_json.h"

const struct rd_ctrl_command *rd_ctrl_spec(enum rd_cmd cmd)
{
	return &rd_ctrl_commands[cmd];
}

enum rd_cmd rd_ctrl_lookup(const char *name)
{
	for (int i = 0; i < RD_CMD_COUNT; i++)
		if (!strcmp(rd_ctrl_commands[i].cmd, name))
			return (enum rd_cmd)i;
	return RD_CMD_COUNT;
}

static struct rd_json_doc doc;

static void failure(struct rd_buf *reply, const double *id, const char *err_prefix, const char *err, size_t err_len)
{
	rd_buf_reset(reply);
	rd_buf_str(reply, "{\"id\":");
	rd_js_number_or_null(reply, id != NULL, id ? *id : 0);
	rd_buf_str(reply, ",\"ok\":false,\"err\":");
	struct rd_buf text = { 0 };
	rd_buf_str(&text, err_prefix);
	rd_buf_add(&text, err, err_len);
	rd_js_json_string(reply, text.p ? text.p : "", text.len);
	rd_buf_free(&text);
	rd_buf_ch(reply, '}');
}

static void fail_text(struct rd_buf *reply, const double *id, const char *err)
{
	failure(reply, id, "", err, strlen(err));
}

/* argProblem of ctrl-codec.ts: 1 when v is an acceptable value of a. */
static int arg_ok(const struct rd_ctrl_int *a, const struct rd_json_node *v, struct rd_buf *problem)
{
	if (v && v->type == RD_JSON_NUMBER && rd_js_is_safe_integer(v->number) && v->number >= a->min && (a->max < 0 || v->number <= a->max))
		return 1;
	rd_buf_printf(problem, "%s must be an integer ", a->key);
	if (a->max < 0) {
		rd_buf_str(problem, ">= ");
		rd_js_number(problem, a->min);
	} else {
		rd_buf_str(problem, "in ");
		rd_js_number(problem, a->min);
		rd_buf_str(problem, "..");
		rd_js_number(problem, a->max);
	}
	return 0;
}

/* The error reply to a command that is not the protocol's: unknown command JSON.stringify(cmd).slice(0, 40), or missing cmd. */
static void unknown(struct rd_buf *reply, double id, const struct rd_json_node *cmd)
{
	if (!cmd || cmd->type != RD_JSON_STRING) {
		fail_text(reply, &id, "missing cmd");
		return;
	}
	struct rd_buf quoted = { 0 }, cut = { 0 };
	rd_js_json_string(&quoted, cmd->str, cmd->len);
	rd_js_utf16_prefix(&cut, quoted.p, quoted.len, 40);
	failure(reply, &id, "unknown command ", cut.p ? cut.p : "", cut.len);
	rd_buf_free(&quoted);
	rd_buf_free(&cut);
}

enum rd_cmd rd_ctrl_serve(const uint8_t *bytes, size_t len, rd_ctrl_handler handler, void *ctx, struct rd_buf *reply)
{
	char tmp[80];
	switch (rd_json_read_object(&doc, bytes, len, RD_CTRL_MAX_BYTES)) {
	case RD_JSON_TOO_LONG:
		snprintf(tmp, sizeof tmp, "command of %zu bytes is over %d", len, RD_CTRL_MAX_BYTES);
		fail_text(reply, NULL, tmp);
		return RD_CMD_COUNT;
	case RD_JSON_NOT_OBJECT:
		fail_text(reply, NULL, "command is not a JSON object");
		return RD_CMD_COUNT;
	case RD_JSON_NOT_UTF8:
	case RD_JSON_NOT_JSON:
		fail_text(reply, NULL, "not valid UTF-8 JSON");
		return RD_CMD_COUNT;
	case RD_JSON_OK:
		break;
	}
	const struct rd_json_node *root = &doc.nodes[0];
	const struct rd_json_node *idv = rd_json_get(&doc, root, "id");
	if (!idv || idv->type != RD_JSON_NUMBER || idv->number - idv->number != 0) {
		fail_text(reply, NULL, "missing or non-numeric id");
		return RD_CMD_COUNT;
	}
	double id = idv->number;
	const struct rd_json_node *cmdv = rd_json_get(&doc, root, "cmd");
	enum rd_cmd cmd = RD_CMD_COUNT;
	for (int i = 0; cmdv && cmdv->type == RD_JSON_STRING && i < RD_CMD_COUNT; i++)
		if (strlen(rd_ctrl_commands[i].cmd) == cmdv->len && !memcmp(rd_ctrl_commands[i].cmd, cmdv->str, cmdv->len))
			cmd = (enum rd_cmd)i;
	if (cmd == RD_CMD_COUNT) {
		unknown(reply, id, cmdv);
		return RD_CMD_COUNT;
	}
	const struct rd_ctrl_command *spec = &rd_ctrl_commands[cmd];
	double args[RD_CTRL_MAX_INTS] = { 0 }, results[RD_CTRL_MAX_INTS] = { 0 };
	for (size_t a = 0; a < spec->n_args && a < RD_CTRL_MAX_INTS; a++) {
		const struct rd_json_node *v = rd_json_get(&doc, root, spec->args[a].key);
		struct rd_buf problem = { 0 };
		if (!arg_ok(&spec->args[a], v, &problem)) {
			failure(reply, &id, "", problem.p ? problem.p : "", problem.len);
			rd_buf_free(&problem);
			return RD_CMD_COUNT;
		}
		args[a] = v->number;
	}
	handler(ctx, cmd, args, results);
	rd_buf_reset(reply);
	rd_buf_str(reply, "{\"id\":");
	rd_js_number(reply, id);
	rd_buf_str(reply, ",\"ok\":true");
	for (size_t r = 0; r < spec->n_reply && r < RD_CTRL_MAX_INTS; r++) {
		rd_buf_ch(reply, ',');
		rd_js_json_cstr(reply, spec->reply[r].key);
		rd_buf_ch(reply, ':');
		rd_js_number(reply, results[r]);
	}
	rd_buf_ch(reply, '}');
	return cmd;
}

void rd_ctrl_encode_command(struct rd_buf *out, double id, enum rd_cmd cmd, const double *args)
{
	const struct rd_ctrl_command *spec = &rd_ctrl_commands[cmd];
	rd_buf_reset(out);
	rd_buf_str(out, "{\"id\":");
	rd_js_number(out, id);
	rd_buf_str(out, ",\"cmd\":");
	rd_js_json_cstr(out, spec->cmd);
	for (size_t a = 0; a < spec->n_args; a++) {
		rd_buf_ch(out, ',');
		rd_js_json_cstr(out, spec->args[a].key);
		rd_buf_ch(out, ':');
		rd_js_number(out, args[a]);
	}
	rd_buf_ch(out, '}');
}

int rd_ctrl_parse_reply(const uint8_t *bytes, size_t len, struct rd_ctrl_reply *reply)
{
	memset(reply, 0, sizeof *reply);
	if (len == 0 || rd_json_read_object(&doc, bytes, len, RD_CTRL_MAX_BYTES) != RD_JSON_OK)
		return 0;
	const struct rd_json_node *root = &doc.nodes[0];
	const struct rd_json_node *ok = rd_json_get(&doc, root, "ok"), *id = rd_json_get(&doc, root, "id");
	if (!ok || (ok->type != RD_JSON_TRUE && ok->type != RD_JSON_FALSE) || !id || (id->type != RD_JSON_NULL && id->type != RD_JSON_NUMBER))
		return 0;
	reply->ok = ok->type == RD_JSON_TRUE;
	reply->id_null = id->type == RD_JSON_NULL;
	reply->id = id->number;
	if (!reply->ok) {
		const struct rd_json_node *err = rd_json_get(&doc, root, "err");
		const char *text = err && err->type == RD_JSON_STRING ? err->str : "no reason given";
		size_t n = err && err->type == RD_JSON_STRING ? err->len : strlen(text);
		if (n > RD_MAX_PAYLOAD_BYTES)
			n = RD_MAX_PAYLOAD_BYTES;
		memcpy(reply->err, text, n);
		reply->err[n] = '\0';
		reply->err_len = n;
	}
	return 1;
}

int rd_ctrl_reply_fields(enum rd_cmd cmd, const uint8_t *bytes, size_t len, double *results, struct rd_buf *why)
{
	if (rd_json_read_object(&doc, bytes, len, RD_CTRL_MAX_BYTES) != RD_JSON_OK)
		return 0;
	const struct rd_ctrl_command *spec = &rd_ctrl_commands[cmd];
	for (size_t r = 0; r < spec->n_reply; r++) {
		const struct rd_json_node *v = rd_json_get(&doc, &doc.nodes[0], spec->reply[r].key);
		if (!v || v->type != RD_JSON_NUMBER || !rd_js_is_safe_integer(v->number)) {
			rd_buf_printf(why, "the reply lacks an integer %s", spec->reply[r].key);
			return 0;
		}
		if (results)
			results[r] = v->number;
	}
	return 1;
}

void rd_ctrl_reply_json(struct rd_buf *out, const uint8_t *bytes, size_t len, const struct rd_ctrl_reply *reply)
{
	if (reply->ok) {
		if (len >= 3 && bytes[0] == 0xef && bytes[1] == 0xbb && bytes[2] == 0xbf)
			bytes += 3, len -= 3; /* the text JSON.parse read */
		rd_buf_add(out, bytes, len);
		return;
	}
	rd_buf_str(out, "{\"id\":");
	rd_js_number_or_null(out, !reply->id_null, reply->id);
	rd_buf_str(out, ",\"ok\":false,\"err\":");
	rd_js_json_string(out, reply->err, reply->err_len);
	rd_buf_ch(out, '}');
}


int rd_ctrl_read_request(const struct rd_json_doc *doc, double *id, enum rd_cmd *cmd, double *args, double *timeout_ms, double default_timeout_ms)
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
	*timeout_ms = tmo ? tmo->number : default_timeout_ms;
	return 1;
}
