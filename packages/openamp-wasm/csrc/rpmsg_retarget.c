/*
 * v8r OpenAMP: remote procedure calls over an RPMsg endpoint (one request
 * outstanding at a time), and the C file operations _open, _read, _write and
 * _close sent as requests of OpenAMP's proxy protocol to the default RPC.
 */
#include <string.h>
#include <metal/errno.h>
#include <metal/utilities.h>
#include <openamp/rpmsg_retarget.h>

/* Largest request or response: one RPMsg payload of the default buffer size. */
#define RPC_MAX_LEN 496u

static struct rpmsg_rpc_data *default_rpc;

static int rpc_ept_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct rpmsg_rpc_data *rpc = metal_container_of(ept, struct rpmsg_rpc_data, ept);
	uint32_t id;
	(void)src, (void)priv;
	if (!data || len < sizeof(id))
		return RPMSG_SUCCESS;
	memcpy(&id, data, sizeof(id));
	if (id == TERM_SYSCALL_ID) {
		rpmsg_destroy_ept(ept); /* the proxy ends the session */
		return RPMSG_SUCCESS;
	}
	metal_spinlock_acquire(&rpc->buflock);
	if (rpc->respbuf && rpc->respbuf_len)
		memcpy(rpc->respbuf, data, len < rpc->respbuf_len ? len : rpc->respbuf_len);
	atomic_flag_clear(&rpc->nacked);
	metal_spinlock_release(&rpc->buflock);
	return RPMSG_SUCCESS;
}

/* The peer destroyed its endpoint: ours goes too, a waiting call returns, the application is told. */
static void rpc_unbind(struct rpmsg_endpoint *ept)
{
	struct rpmsg_rpc_data *rpc = metal_container_of(ept, struct rpmsg_rpc_data, ept);
	rpc->ept_destroyed = 1;
	rpmsg_destroy_ept(ept);
	atomic_flag_clear(&rpc->nacked);
	if (rpc->shutdown_cb)
		rpc->shutdown_cb(rpc);
}

int rpmsg_rpc_init(struct rpmsg_rpc_data *rpc, struct rpmsg_device *rdev, const char *ept_name, uint32_t ept_addr,
		   uint32_t ept_raddr, void *poll_arg, rpmsg_rpc_poll poll, rpmsg_rpc_shutdown_cb shutdown_cb)
{
	if (!rpc || !rdev)
		return -EINVAL;
	metal_spinlock_init(&rpc->buflock);
	metal_mutex_init(&rpc->lock);
	rpc->shutdown_cb = shutdown_cb;
	rpc->poll_arg = poll_arg;
	rpc->poll = poll;
	rpc->ept_destroyed = 0;
	rpc->respbuf = NULL;
	rpc->respbuf_len = 0;
	atomic_flag_test_and_set(&rpc->nacked);
	if (rpmsg_create_ept(&rpc->ept, rdev, ept_name, ept_addr, ept_raddr, rpc_ept_cb, rpc_unbind))
		return -EINVAL;
	while (!is_rpmsg_ept_ready(&rpc->ept))
		if (rpc->poll)
			rpc->poll(rpc->poll_arg);
	return 0;
}

void rpmsg_rpc_release(struct rpmsg_rpc_data *rpc)
{
	if (!rpc)
		return;
	if (!rpc->ept_destroyed)
		rpmsg_destroy_ept(&rpc->ept);
	metal_mutex_acquire(&rpc->lock);
	metal_spinlock_acquire(&rpc->buflock);
	rpc->respbuf = NULL;
	rpc->respbuf_len = 0;
	metal_spinlock_release(&rpc->buflock);
	metal_mutex_release(&rpc->lock);
	metal_mutex_deinit(&rpc->lock);
}

int rpmsg_rpc_send(struct rpmsg_rpc_data *rpc, void *req, size_t len, void *resp, size_t resp_len)
{
	if (!rpc)
		return -EINVAL;
	metal_spinlock_acquire(&rpc->buflock);
	rpc->respbuf = resp;
	rpc->respbuf_len = resp_len;
	metal_spinlock_release(&rpc->buflock);
	atomic_flag_test_and_set(&rpc->nacked);
	int ret = rpmsg_send(&rpc->ept, req, (int)len);
	if (ret < 0)
		return -EINVAL;
	while (resp && atomic_flag_test_and_set(&rpc->nacked))
		if (rpc->poll)
			rpc->poll(rpc->poll_arg);
	return ret;
}

void rpmsg_set_default_rpc(struct rpmsg_rpc_data *rpc)
{
	if (rpc)
		default_rpc = rpc;
}

/* Send one proxy request (header + data) and return int_field1 of a response with the same id. */
static int proxy_call(uint32_t id, int32_t a, int32_t b, const void *data, uint32_t data_len, unsigned char *resp,
		      size_t resp_len)
{
	unsigned char req[RPC_MAX_LEN];
	struct rpmsg_rpc_syscall call = { id, { a, b, data_len } };
	if (!default_rpc || sizeof(call) + data_len > sizeof(req))
		return -EINVAL;
	memcpy(req, &call, sizeof(call));
	if (data_len)
		memcpy(req + sizeof(call), data, data_len);
	memset(resp, 0, resp_len);
	int ret = rpmsg_rpc_send(default_rpc, req, sizeof(call) + data_len, resp, resp_len);
	if (ret < 0)
		return ret;
	struct rpmsg_rpc_syscall answer;
	memcpy(&answer, resp, sizeof(answer));
	return answer.id == id ? answer.args.int_field1 : -EINVAL;
}

int _open(const char *filename, int flags, int mode);
int _read(int fd, char *buffer, int buflen);
int _write(int fd, const char *ptr, int len);
int _close(int fd);

int _open(const char *filename, int flags, int mode)
{
	unsigned char resp[sizeof(struct rpmsg_rpc_syscall)];
	if (!filename)
		return -EINVAL;
	return proxy_call(OPEN_SYSCALL_ID, flags, mode, filename, (uint32_t)strlen(filename) + 1u, resp, sizeof(resp));
}

int _read(int fd, char *buffer, int buflen)
{
	unsigned char resp[RPC_MAX_LEN];
	if (!buffer || buflen <= 0)
		return -EINVAL;
	int ret = proxy_call(READ_SYSCALL_ID, fd, buflen, NULL, 0, resp, sizeof(resp));
	struct rpmsg_rpc_syscall answer;
	memcpy(&answer, resp, sizeof(answer));
	if (ret > 0) {
		uint32_t n = answer.args.data_len;
		n = metal_min(n, (uint32_t)buflen);
		n = metal_min(n, (uint32_t)(sizeof(resp) - sizeof(answer)));
		memcpy(buffer, resp + sizeof(answer), n);
	}
	return ret;
}

int _write(int fd, const char *ptr, int len)
{
	unsigned char resp[sizeof(struct rpmsg_rpc_syscall)];
	unsigned char data[RPC_MAX_LEN];
	uint32_t n = (uint32_t)len;
	if (!ptr || len < 0 || n + 1u > sizeof(data) - sizeof(struct rpmsg_rpc_syscall))
		return -EINVAL;
	memcpy(data, ptr, n);
	if (fd == 1)
		data[n++] = 0; /* the proxy prints stdout as a string */
	return proxy_call(WRITE_SYSCALL_ID, fd, len, data, n, resp, sizeof(resp));
}

int _close(int fd)
{
	unsigned char resp[sizeof(struct rpmsg_rpc_syscall)];
	return proxy_call(CLOSE_SYSCALL_ID, fd, 0, NULL, 0, resp, sizeof(resp));
}
