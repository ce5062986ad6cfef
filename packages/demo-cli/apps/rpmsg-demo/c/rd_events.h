/*
 * rd_events: the C apps' events on the platform trace bus (through
 * v8r_guest.h), for what the host reads of them: the answers of the typed
 * control path (rpmsg-demo.ctrl-result, platform-control.ts).
 */
#ifndef RD_EVENTS_H
#define RD_EVENTS_H

#include <stddef.h>
#include "rd_buf.h"

/** Publish the event (a JSON object) in event, unless building it ran out of memory. */
void rd_publish(struct rd_buf *event);
/** Publish the answer to control message control_id: a reply's JSON. */
void ctrl_publish_reply(double control_id, const char *reply_json, size_t len);
/** The same for an error with its code and message. */
void ctrl_publish_error(double control_id, const char *code, const char *message);

#endif
