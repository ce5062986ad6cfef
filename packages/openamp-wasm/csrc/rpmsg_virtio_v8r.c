/*
 * v8r OpenAMP: what the TypeScript glue adds to RPMsg over virtio: a remote
 * that survives a host re-initialisation, name-service announcements sent
 * when a buffer is free, counters.
 */
#include <string.h>
#include <openamp/rpmsg_virtio.h>
#include "_rpmsg_virtio_internal.h"

/* The first endpoint a peer reset still has to unbind, or NULL. */
static struct rpmsg_endpoint *next_to_unbind(struct rpmsg_device *rdev)
{
	struct metal_list *node;
	metal_list_for_each(&rdev->endpoints, node) {
		struct rpmsg_endpoint *ept = metal_container_of(node, struct rpmsg_endpoint, node);
		if (ept != &rdev->ns_ept && !ept->v8r_fixed_dest && ept->dest_addr != RPMSG_ADDR_ANY)
			return ept;
	}
	return NULL;
}

void rpmsg_virtio_v8r_peer_reset(struct rpmsg_virtio_device *rvdev)
{
	virtqueue_v8r_reset(rvdev->rvq);
	virtqueue_v8r_reset(rvdev->svq);
	rpmsg_virtio_v8r_forget_headers();
	memset(rvdev->v8r_rx_held, 0, rvdev->rvq->vq_nentries * sizeof(*rvdev->v8r_rx_held));
	if (!v8r_is_host(rvdev)) {
		/* the host took every buffer back: the remote's lent and reclaimed ones are gone */
		memset(rvdev->v8r_tx, 0, rvdev->svq->vq_nentries * sizeof(*rvdev->v8r_tx));
		metal_list_init(&rvdev->reclaimer);
	}
	struct rpmsg_device *rdev = &rvdev->rdev;
	struct metal_list *node;
	metal_list_for_each(&rdev->endpoints, node) {
		struct rpmsg_endpoint *ept = metal_container_of(node, struct rpmsg_endpoint, node);
		if (ept != &rdev->ns_ept && !ept->v8r_fixed_dest)
			ept->v8r_ns_pending = ept->name[0] && rdev->support_ns;
	}
	/*
	 * The bind hook may destroy any endpoint or tear the device down, so no
	 * list position is kept across it: every round starts from the head.
	 */
	for (unsigned int guard = 0; guard < 65536u && rvdev->rvq; guard++) {
		struct rpmsg_endpoint *ept = next_to_unbind(rdev);
		if (!ept)
			break;
		rpmsg_v8r_set_dest(ept, RPMSG_ADDR_ANY);
	}
}

void rpmsg_virtio_v8r_flush_ns(struct rpmsg_virtio_device *rvdev)
{
	struct rpmsg_device *rdev = &rvdev->rdev;
	struct metal_list *node;
	metal_list_for_each(&rdev->endpoints, node) {
		struct rpmsg_endpoint *ept = metal_container_of(node, struct rpmsg_endpoint, node);
		if (!ept->v8r_ns_pending)
			continue;
		if (rpmsg_send_ns_message(ept, RPMSG_NS_CREATE, 0))
			return;
		ept->v8r_ns_pending = 0;
	}
}

uint32_t rpmsg_virtio_v8r_bad_entries(struct rpmsg_virtio_device *rvdev)
{
	return rvdev->rvq->vq_v8r_bad_entries + rvdev->svq->vq_v8r_bad_entries + rvdev->rdev.v8r_ns_dropped +
	       rvdev->v8r_stats.dropped_malformed;
}

int rpmsg_virtio_v8r_free_tx(struct rpmsg_virtio_device *rvdev)
{
	struct virtqueue *svq = rvdev->svq;
	unsigned int reclaimed = 0;
	struct metal_list *node;
	metal_list_for_each(&rvdev->reclaimer, node)
		reclaimed++;
	if (v8r_is_host(rvdev)) {
		unsigned int lent = 0;
		for (unsigned int i = 0; i < rvdev->v8r_tx_carved; i++)
			lent += rvdev->v8r_tx[i].state == V8R_TX_LENT;
		/* never carved + returned by the peer but not yet reclaimed + released unsent */
		unsigned int in_ring = svq->vq_nentries - svq->vq_free_cnt;
		unsigned int returned = (uint16_t)(virtqueue_v8r_used_idx(svq) - svq->vq_used_cons_idx);
		if (returned > in_ring)
			returned = in_ring;
		return (int)(svq->vq_nentries - in_ring - lent + returned);
	}
	unsigned int pending = (uint16_t)(virtqueue_v8r_avail_idx(svq) - svq->vq_available_idx);
	return (int)((pending > svq->vq_nentries ? 0 : pending) + reclaimed);
}
