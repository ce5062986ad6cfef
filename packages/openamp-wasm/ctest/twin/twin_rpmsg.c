/* The twin's RPMsg cases: name service, every send variant, zero copy, holds, buffer sizes, endpoint life. */
#include <string.h>
#include <openamp/open_amp.h>
#include <openamp/rpmsg_virtio.h>
#include "twin.h"

struct inbox {
	int count;
	uint32_t src;
	size_t len;
	unsigned char data[512];
	void *held;
	int hold_next;
};

static struct inbox host_in, remote_in;
static struct rpmsg_endpoint host_ept, remote_ept;

static int inbox_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct inbox *in = priv;
	in->count++;
	in->src = src;
	in->len = len;
	memcpy(in->data, data, len);
	if (in->hold_next) {
		in->hold_next = 0;
		in->held = data;
		rpmsg_hold_rx_buffer(ept, data);
	}
	return RPMSG_SUCCESS;
}

/* Remote: echo every message back to its sender. */
static int echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	inbox_cb(ept, data, len, src, priv);
	CHECK(rpmsg_sendto(ept, data, (int)len, src) == (int)len);
	return RPMSG_SUCCESS;
}

static int unbinds;
static void host_unbind(struct rpmsg_endpoint *ept)
{
	unbinds++;
	rpmsg_destroy_ept(ept);
}

void twin_host_ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest);
void twin_host_ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	if (strcmp(name, "twin-echo") != 0)
		return;
	host_ept.priv = &host_in;
	CHECK(rpmsg_create_ept(&host_ept, rdev, name, RPMSG_ADDR_ANY, dest, inbox_cb, host_unbind) == 0);
}

static void case_name_service_and_sends(void)
{
	remote_ept.priv = &remote_in;
	CHECK(rpmsg_create_ept(&remote_ept, &twin_remote.rvdev.rdev, "twin-echo", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
			       echo_cb, NULL) == 0);
	CHECK(!is_rpmsg_ept_ready(&remote_ept));
	twin_pump();
	CHECK(is_rpmsg_ept_ready(&host_ept) && host_ept.dest_addr == remote_ept.addr);
	unsigned char big[600];
	for (int i = 0; i < 600; i++)
		big[i] = (unsigned char)(i * 7);
	CHECK(rpmsg_send(&host_ept, big, 600) == 240); /* truncated to the 256-byte host->remote buffers */
	twin_pump();
	CHECK(remote_in.count == 1 && remote_in.len == 240 && memcmp(remote_in.data, big, 240) == 0);
	CHECK(is_rpmsg_ept_ready(&remote_ept) && remote_ept.dest_addr == host_ept.addr); /* bound by the message */
	CHECK(host_in.count == 1 && host_in.len == 240 && memcmp(host_in.data, big, 240) == 0);
	CHECK(rpmsg_sendto(&host_ept, "to", 2, remote_ept.addr) == 2);
	CHECK(rpmsg_send_offchannel(&host_ept, 77, remote_ept.addr, "off", 3) == 3);
	CHECK(rpmsg_trysend(&host_ept, "t1", 2) == 2 && rpmsg_trysendto(&host_ept, "t2", 2, remote_ept.addr) == 2);
	CHECK(rpmsg_trysend_offchannel(&host_ept, 78, remote_ept.addr, "t3", 2) == 2);
	CHECK(rpmsg_send_offchannel_raw(&host_ept, host_ept.addr, remote_ept.addr, "raw", 3, 0) == 3);
	twin_pump();
	CHECK(remote_in.count == 7 && remote_in.len == 3 && memcmp(remote_in.data, "raw", 3) == 0);
	CHECK(host_in.count == 5); /* the echoes to 77 and 78 reach no host endpoint */
	CHECK(rpmsg_send(NULL, "x", 1) == RPMSG_ERR_PARAM && rpmsg_sendto(&host_ept, "x", 1, RPMSG_ADDR_ANY) == RPMSG_ERR_PARAM);
	CHECK(rpmsg_get_tx_buffer_size(&host_ept) == 240 && rpmsg_get_rx_buffer_size(&host_ept) == 496);
	CHECK(rpmsg_get_tx_buffer_size(&remote_ept) == 496 && rpmsg_get_rx_buffer_size(&remote_ept) == RPMSG_ERR_NO_BUFF);
	CHECK(rpmsg_virtio_get_buffer_size(&twin_host.rvdev.rdev) == 240);
}

/* Zero copy: the payload pointer is in the mirror; send copies it to shared memory, release keeps the buffer. */
static void case_zero_copy_and_holds(void)
{
	uint32_t cap = 0;
	unsigned char *p = rpmsg_get_tx_payload_buffer(&host_ept, &cap, 1);
	CHECK(p && cap == 240);
	CHECK(p >= twin_host.mirror && p < twin_host.mirror + TWIN_SHM_SIZE);
	memcpy(p, "zero-copy", 9);
	CHECK(rpmsg_send_nocopy(&host_ept, p, 9) == 9);
	unsigned char *q = rpmsg_get_tx_payload_buffer(&remote_ept, &cap, 0);
	CHECK(q && cap == 496 && rpmsg_release_tx_buffer(&remote_ept, q) == RPMSG_SUCCESS);
	CHECK(rpmsg_release_tx_buffer(&remote_ept, q) == RPMSG_ERR_PARAM); /* not lent any more */
	q = rpmsg_get_tx_payload_buffer(&remote_ept, &cap, 0);
	memcpy(q, "back", 4);
	CHECK(rpmsg_sendto_nocopy(&remote_ept, q, 4, host_ept.addr) == 4);
	remote_in.hold_next = 1;
	twin_pump();
	CHECK(remote_in.len == 9 && memcmp(remote_in.data, "zero-copy", 9) == 0 && remote_in.held);
	CHECK(host_in.len == 9); /* the echo of "zero-copy" came after "back" */
	/* a held buffer stays out of the ring until its last release */
	void *held = remote_in.held;
	rpmsg_hold_rx_buffer(&remote_ept, held);
	rpmsg_release_rx_buffer(&remote_ept, held);
	CHECK(memcmp(held, "zero-copy", 9) == 0);
	rpmsg_release_rx_buffer(&remote_ept, held);
	p = rpmsg_get_tx_payload_buffer(&host_ept, &cap, 0);
	CHECK(rpmsg_send_offchannel_nocopy(&host_ept, 90, remote_ept.addr, p, 241) == RPMSG_ERR_PARAM);
	CHECK(rpmsg_send_offchannel_nocopy(&host_ept, 90, remote_ept.addr, p, 0) == 0);
	twin_pump();
	CHECK(remote_in.len == 0 && remote_in.src == 90);
}

static int released;
static void count_release(struct rpmsg_endpoint *ept)
{
	(void)ept;
	released++;
}

/* Destroyed inside its own callback: release_cb runs once the callback is over. */
static int destroy_in_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)data, (void)len, (void)src, (void)priv;
	CHECK(ept->refcnt == 2);
	rpmsg_destroy_ept(ept);
	CHECK(released == 0 && ept->refcnt == 1);
	return RPMSG_SUCCESS;
}

static void case_endpoint_life(void)
{
	static struct rpmsg_endpoint e, h;
	e.release_cb = count_release;
	CHECK(rpmsg_create_ept(&e, &twin_remote.rvdev.rdev, "", 300, 301, destroy_in_cb, NULL) == 0);
	CHECK(e.refcnt == 1 && e.release_cb == count_release);
	CHECK(rpmsg_create_ept(&h, &twin_host.rvdev.rdev, "", 301, 300, inbox_cb, NULL) == 0);
	CHECK(rpmsg_send(&h, "bye", 3) == 3);
	twin_pump();
	CHECK(released == 1 && e.refcnt == 0);
	rpmsg_destroy_ept(&h);
	CHECK(h.rdev == NULL); /* no release_cb: the device reference is cleared */
	/* the remote destroys its named endpoint: the host hears NS destroy, unbinds and destroys its own */
	rpmsg_destroy_ept(&remote_ept);
	twin_pump();
	CHECK(unbinds == 1 && host_ept.rdev == NULL);
}

void twin_rpmsg_cases(void);
void twin_rpmsg_cases(void)
{
	case_name_service_and_sends();
	case_zero_copy_and_holds();
	case_endpoint_life();
}
