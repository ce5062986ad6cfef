/* The status history: see history.h. */
#include "history.h"

#include <string.h>

static int field(const char *key)
{
	static int cache[5] = { -2, -2, -2, -2, -2 };
	static const char *const keys[5] = { "boot", "seq", "t", "ipc", "cpu" };
	for (int i = 0; i < 5; i++)
		if (!strcmp(keys[i], key)) {
			if (cache[i] == -2)
				cache[i] = rd_status_field(key);
			return cache[i];
		}
	return rd_status_field(key);
}

static double num(const struct rd_sample *s, const char *key, int *present)
{
	int i = field(key);
	*present = i >= 0 && s->present[i];
	return *present ? s->num[i] : 0;
}

void history_init(struct history *h)
{
	memset(h, 0, sizeof *h);
	strcpy(h->link_state, "down");
}

/* The sample's ipc.dr: 1 with it, 0 when the sample has no ipc field. */
static int sample_dr(const struct rd_sample *s, double *dr)
{
	int i = field("ipc");
	if (i < 0 || !s->present[i])
		return 0;
	const struct rd_field *f = rd_status_field_spec(i);
	for (size_t m = 0; m < f->n_members; m++)
		if (!strcmp(f->members[m].name, "dr")) {
			*dr = s->members[i][m];
			return 1;
		}
	return 0;
}

enum history_outcome history_add(struct history *h, const struct rd_sample *s, double received_ms, double *lost, char previous[9])
{
	int has;
	double dr = 0;
	int has_dr = sample_dr(s, &dr);
	const char *boot = s->hex[field("boot")];
	double seq = num(s, "seq", &has);
	struct history_boot *current = h->n_boots ? &h->boots[h->n_boots - 1] : NULL;
	enum history_outcome outcome;
	double lost_before = 0;
	int restart = 0;
	*lost = 0;
	if (current && !strcmp(current->boot, boot)) {
		if (seq <= current->last_seq) {
			h->counters.stale++;
			h->revision++;
			return OUTCOME_STALE;
		}
		lost_before = seq - current->last_seq - 1;
		double explained = has_dr ? dr - current->last_dr : lost_before;
		if (lost_before > explained) {
			h->counters.out_of_order++;
			h->revision++;
			return OUTCOME_OUT_OF_ORDER;
		}
		outcome = lost_before > 0 ? OUTCOME_GAP : OUTCOME_NEXT;
		*lost = lost_before;
		current->last_seq = seq;
		current->samples++;
		current->last_dr = has_dr ? dr : current->last_dr + lost_before;
	} else {
		restart = current != NULL;
		outcome = restart ? OUTCOME_RESTART : OUTCOME_FIRST;
		if (restart) {
			h->counters.restarts++;
			memcpy(previous, current->boot, 9);
		}
		if (h->n_boots == HISTORY_BOOTS) {
			memmove(h->boots, h->boots + 1, (HISTORY_BOOTS - 1) * sizeof h->boots[0]);
			h->n_boots--;
		}
		struct history_boot *b = &h->boots[h->n_boots++];
		memcpy(b->boot, boot, 9);
		b->first_seen_ms = received_ms;
		b->first_seq = b->last_seq = seq;
		b->samples = 1;
		b->first_dr = b->last_dr = has_dr ? dr : 0;
	}
	h->counters.received++;
	h->counters.lost += lost_before;
	struct history_entry *e;
	if (h->count < HISTORY_CAPACITY)
		e = &h->entries[(h->start + h->count++) % HISTORY_CAPACITY];
	else {
		e = &h->entries[h->start];
		h->start = (h->start + 1) % HISTORY_CAPACITY;
	}
	memset(e, 0, sizeof *e);
	memcpy(e->boot, boot, 9);
	e->seq = seq;
	e->t = num(s, "t", &has);
	e->cpu = num(s, "cpu", &e->has_cpu);
	e->per = num(s, "per", &e->has_per);
	e->received_ms = received_ms;
	e->lost_before = lost_before;
	e->restart = restart;
	h->latest = *s;
	h->has_latest = 1;
	h->has_update = 1;
	h->last_update_ms = received_ms;
	h->revision++;
	return outcome;
}

void history_restore(struct history *h, const struct history_counters *c, const struct history_boot *boots, size_t n, int has_update, double last_update_ms)
{
	size_t skip = n > HISTORY_BOOTS ? n - HISTORY_BOOTS : 0;
	h->counters = *c;
	h->n_boots = n - skip;
	memcpy(h->boots, boots + skip, h->n_boots * sizeof h->boots[0]);
	h->has_update = has_update;
	h->last_update_ms = has_update ? last_update_ms : 0;
	h->revision++;
}

void history_malformed(struct history *h)
{
	h->counters.malformed++;
	h->revision++;
}

int history_set_link(struct history *h, const char *state)
{
	if (!strcmp(h->link_state, state))
		return 0;
	strncpy(h->link_state, state, sizeof h->link_state - 1);
	h->revision++;
	return 1;
}

const struct history_entry *history_entry(const struct history *h, size_t i)
{
	return &h->entries[(h->start + i) % HISTORY_CAPACITY];
}

double history_ipc(const struct history *h, const char *name)
{
	int i = field("ipc");
	if (!h->has_latest || i < 0 || !h->latest.present[i])
		return 0;
	const struct rd_field *f = rd_status_field_spec(i);
	for (size_t m = 0; m < f->n_members; m++)
		if (!strcmp(f->members[m].name, name))
			return h->latest.members[i][m];
	return 0;
}

int history_latest_num(const struct history *h, const char *key, double *out)
{
	int has = 0;
	*out = h->has_latest ? num(&h->latest, key, &has) : 0;
	return has;
}
