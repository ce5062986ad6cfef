/*
 * rd_ctrl: the rpmsg-ctrl commands and replies in C, the counterpart of
 * ../protocol/ctrl-codec.ts, walking the generated command table: the server
 * side (rpmsg-host reads a command and writes its reply) and the client side
 * (rpmsg-remote writes commands and reads replies).
 */
#ifndef RD_CTRL_H
#define RD_CTRL_H

#include <stddef.h>
#include <stdint.h>
#include "rd_buf.h"
#include "rpmsg_demo_protocol.h"

/** Most arguments or reply fields of one command. */
#define RD_CTRL_MAX_INTS 8

/** The table entry of a command. */
const struct rd_ctrl_command *rd_ctrl_spec(enum rd_cmd cmd);
/** The command named name, or RD_CMD_COUNT. */
enum rd_cmd rd_ctrl_lookup(const char *name);

/**
 * What the server does for a command: args holds its arguments in table
 * order; fill results with its reply fields in table order.
 */
typedef void (*rd_ctrl_handler)(void *ctx, enum rd_cmd cmd, const double *args, double *results);

/**
 * serveCommand + encodeReply: read one command message, run it through
 * handler (not for a malformed one) and write its reply into reply (cleared
 * first). Returns the command run, or RD_CMD_COUNT when the reply is an
 * error reply.
 */
enum rd_cmd rd_ctrl_serve(const uint8_t *bytes, size_t len, rd_ctrl_handler handler, void *ctx, struct rd_buf *reply);

/** encodeCommand: {"id":id,"cmd":...,args} into out (cleared first). */
void rd_ctrl_encode_command(struct rd_buf *out, double id, enum rd_cmd cmd, const double *args);

/** A reply as parseReply reads it. */
struct rd_ctrl_reply {
	int ok;
	int id_null;
	double id;
	char err[RD_MAX_PAYLOAD_BYTES + 1]; /* ok false: the reason (WTF-8) */
	size_t err_len;
};

/** parseReply: 1 with reply filled, or 0 when the message is not a reply. */
int rd_ctrl_parse_reply(const uint8_t *bytes, size_t len, struct rd_ctrl_reply *reply);

/**
 * replyProblem: for an ok reply to command cmd, whether every reply field is
 * there as an integer. 1 when it is fine; 0 with the problem in why; reads
 * the fields into results (table order) when given.
 */
int rd_ctrl_reply_fields(enum rd_cmd cmd, const uint8_t *bytes, size_t len, double *results, struct rd_buf *why);

/** The reply as the JavaScript object parseReply returns, as JSON (for the ctrl-result event): the message itself when ok, else {id, ok, err}. */
void rd_ctrl_reply_json(struct rd_buf *out, const uint8_t *bytes, size_t len, const struct rd_ctrl_reply *reply);

/**
 * isCtrlRequest of platform-control.ts: whether the parsed control message
 * (node 0 of doc) is a well-formed rpmsg-demo.ctrl request of a command
 * users may send; 1 with its id, command, arguments (table order) and
 * timeoutMs (default_timeout_ms when it has none), else 0.
 */
struct rd_json_doc;
int rd_ctrl_read_request(const struct rd_json_doc *doc, double *id, enum rd_cmd *cmd, double *args, double *timeout_ms, double default_timeout_ms);

#endif
