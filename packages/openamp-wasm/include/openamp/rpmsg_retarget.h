/*
 * v8r OpenAMP: remote procedure calls over an RPMsg endpoint, and the C file
 * operations (_open, _read, _write, _close) redirected to a proxy on the
 * peer (OpenAMP's proxy protocol), as OpenAMP's rpmsg_retarget.h declares them.
 */
#ifndef RPMSG_RETARGET_H
#define RPMSG_RETARGET_H

#include <stdint.h>
#include <metal/atomic.h>
#include <metal/mutex.h>
#include <metal/spinlock.h>
#include <openamp/open_amp.h>

#if defined __cplusplus
extern "C" {
#endif

/* Request ids of the proxy protocol. */
#define OPEN_SYSCALL_ID 0x1UL
#define CLOSE_SYSCALL_ID 0x2UL
#define WRITE_SYSCALL_ID 0x3UL
#define READ_SYSCALL_ID 0x4UL
#define ACK_STATUS_ID 0x5UL
#define TERM_SYSCALL_ID 0x6UL

#define DEFAULT_PROXY_ENDPOINT 0xFFUL

struct rpmsg_rpc_data;

typedef int (*rpmsg_rpc_poll)(void *arg);
typedef void (*rpmsg_rpc_shutdown_cb)(struct rpmsg_rpc_data *rpc);

struct rpmsg_rpc_syscall_header {
	int32_t int_field1;
	int32_t int_field2;
	uint32_t data_len;
};

/** A request or response: its id, arguments, then data_len bytes of data. */
struct rpmsg_rpc_syscall {
	uint32_t id;
	struct rpmsg_rpc_syscall_header args;
};

struct rpmsg_rpc_data {
	struct rpmsg_endpoint ept;
	int ept_destroyed;
	atomic_flag nacked; /* set while a response is awaited */
	void *respbuf;
	size_t respbuf_len;
	rpmsg_rpc_poll poll; /* run while waiting (it should process incoming messages) */
	void *poll_arg;
	rpmsg_rpc_shutdown_cb shutdown_cb;
	metal_mutex_t lock;
	struct metal_spinlock buflock;
};

/** Create the RPC endpoint and wait (running poll) until it is bound; 0 or -EINVAL. */
int rpmsg_rpc_init(struct rpmsg_rpc_data *rpc, struct rpmsg_device *rdev, const char *ept_name, uint32_t ept_addr,
		   uint32_t ept_raddr, void *poll_arg, rpmsg_rpc_poll poll, rpmsg_rpc_shutdown_cb shutdown_cb);
void rpmsg_rpc_release(struct rpmsg_rpc_data *rpc);
/** Send req; with resp, wait (running poll) for the response, copied into resp (at most resp_len bytes). */
int rpmsg_rpc_send(struct rpmsg_rpc_data *rpc, void *req, size_t len, void *resp, size_t resp_len);
/** The RPC _open, _read, _write and _close go through. */
void rpmsg_set_default_rpc(struct rpmsg_rpc_data *rpc);

#if defined __cplusplus
}
#endif

#endif /* RPMSG_RETARGET_H */
