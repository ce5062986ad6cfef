/*
 * rd_status: the status sample in C, the counterpart of
 * ../protocol/status-codec.ts. The encoder (rpmsg-host) and the validator
 * (rpmsg-remote) walk the generated field table of rpmsg_demo_protocol.h,
 * so a row added to STATUS_SCHEMA reaches both C apps when the header is
 * generated again; the fact a row names must be a member of struct
 * rd_zephyr_facts below (the C build fails otherwise), as it must be one of
 * ZephyrFacts in TypeScript.
 */
#ifndef RD_STATUS_H
#define RD_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include "rd_buf.h"
#include "rpmsg_demo_protocol.h"

/** One thread of a sample, as the sampler sees it. */
struct rd_thread_status {
	const char *name;
	const char *state;
	double cpu; /* percent */
};

/**
 * What rpmsg-host knows about its Zephyr when it takes a sample (ZephyrFacts
 * of status-schema.ts, member for member; numbers are doubles, as in
 * JavaScript).
 */
struct rd_zephyr_facts {
	double seq;
	char boot[9];
	double uptimeMs;
	double periodMs;
	double loadPct;
	const struct rd_thread_status *threads;
	size_t n_threads;
	double threadCount;
	double heapUsed;
	double heapFree;
	double heapMaxUsed;
	double ipcTx;
	double ipcRt;
	double ipcRi;
	double ipcDr;
	double ipcQ;
};

/** Most thread entries a sample holds (a 496-byte sample fits about 45). */
#define RD_MAX_THREADS 64
/** Most members of a pair or counters field. */
#define RD_MAX_MEMBERS 8

/** One thread of a received sample (strings in the sample's own storage). */
struct rd_thread {
	const char *name;
	size_t name_len;
	const char *state;
	size_t state_len;
	double cpu;
};

/** A validated sample, field by field (index = row of the field table). */
struct rd_sample {
	unsigned char present[RD_STATUS_FIELD_COUNT];
	double num[RD_STATUS_FIELD_COUNT];                       /* version, uint, percent */
	char hex[RD_STATUS_FIELD_COUNT][9];                      /* hex8, lower case */
	double members[RD_STATUS_FIELD_COUNT][RD_MAX_MEMBERS];   /* pair, counters */
	struct rd_thread threads[RD_MAX_THREADS];                /* the threads field */
	size_t n_threads;
	char strings[RD_MAX_PAYLOAD_BYTES];                      /* thread names and states */
	size_t strings_used;
};

/** The row of the field with wire key key, or -1. */
int rd_status_field(const char *key);
/** The row's table entry (0 <= i < RD_STATUS_FIELD_COUNT). */
const struct rd_field *rd_status_field_spec(int i);

/** Encoding failed: a fact out of range, or the sample does not fit without any thread entry. */
#define RD_STATUS_EENCODE (-1)

/**
 * Encode the sample of facts into out (cleared first), at most limit bytes,
 * as encodeStatusSample does: fields in table order, percentages clamped and
 * rounded to one decimal, trailing thread entries dropped until it fits.
 * Returns how many thread entries were left out, or RD_STATUS_EENCODE (with
 * the reason in why, when given).
 */
int rd_status_encode(const struct rd_zephyr_facts *facts, size_t limit, struct rd_buf *out, struct rd_buf *why);

/** Why a sample was rejected (the SampleRejectCode of status-codec.ts). */
enum rd_reject { RD_REJECT_NONE, RD_REJECT_TOO_LONG, RD_REJECT_NOT_UTF8, RD_REJECT_NOT_JSON, RD_REJECT_NOT_OBJECT,
		 RD_REJECT_MISSING_FIELD, RD_REJECT_BAD_FIELD, RD_REJECT_UNSUPPORTED_VERSION };

/** The code's name as TypeScript spells it ("too-long", ...). */
const char *rd_reject_name(enum rd_reject code);

/**
 * Validate one received sample, as parseStatusSample does: RD_REJECT_NONE
 * with the sample filled in, or the code with the reason (the same words as
 * TypeScript's) in why.
 */
enum rd_reject rd_status_parse(const uint8_t *bytes, size_t len, struct rd_sample *sample, struct rd_buf *why);

/** Append the validated sample as JSON.stringify writes the TypeScript one (fields in table order). */
void rd_status_sample_json(struct rd_buf *out, const struct rd_sample *s);

/** percent rounded for the wire: Math.round(min(100, max(0, x)) * 10) / 10. */
double rd_wire_percent(double x);

#endif
