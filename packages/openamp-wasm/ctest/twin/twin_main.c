/*
 * The native twin test: the C library talks to itself through the public
 * OpenAMP and libmetal API (remoteproc set-up from a resource table, RPMsg,
 * the RPC proxy, libmetal services). Built with ASan and UBSan by test-c.sh.
 */
#include <string.h>
#include <metal/sys.h>
#include <openamp/open_amp.h>
#include <openamp/rpmsg_retarget.h>
#include "twin.h"

void twin_host_ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest);
void twin_rpmsg_cases(void);
void twin_metal_cases(void);
int _open(const char *filename, int flags, int mode);
int _read(int fd, char *buffer, int buflen);
int _write(int fd, const char *ptr, int len);
int _close(int fd);

static int waits;
static unsigned int carved;

/*
 * The application's own pool allocator replaces the library's (it carves the
 * same way, and counts). rpmsg_virtio.h declares the function weak, as
 * upstream does, so this definition is weak too: it wins by coming first in
 * the link, as an application's objects come before a static library.
 */
void *rpmsg_virtio_shm_pool_get_buffer(struct rpmsg_virtio_shm_pool *shpool, size_t size)
{
	if (!shpool || size == 0 || shpool->avail < size)
		return NULL;
	carved++;
	void *buf = (char *)shpool->base + (shpool->size - shpool->avail);
	shpool->avail -= size;
	return buf;
}

/* The remote's wait: let the host run (it consumes and returns buffers), then try again at once. */
static int remote_wait(struct rpmsg_device *rdev, uint32_t id)
{
	CHECK(rdev == &twin_remote.rvdev.rdev && id == 2); /* the remote receives on vring 1 (notify id 2) */
	waits++;
	twin_pump();
	return RPMSG_SUCCESS;
}

static int sink(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept, (void)data, (void)len, (void)src;
	(*(int *)priv)++;
	return RPMSG_SUCCESS;
}

static void case_wait_callback(void)
{
	static struct rpmsg_endpoint r, h;
	static int got;
	CHECK(rpmsg_create_ept(&r, &twin_remote.rvdev.rdev, "", 400, 401, sink, NULL) == 0);
	h.priv = &got;
	CHECK(rpmsg_create_ept(&h, &twin_host.rvdev.rdev, "", 401, 400, sink, NULL) == 0);
	rpmsg_virtio_set_wait_cb(&twin_remote.rvdev, remote_wait);
	for (unsigned int i = 0; i < 3 * TWIN_NUM; i++)
		CHECK(rpmsg_send(&r, &i, sizeof(i)) == (int)sizeof(i)); /* three times the host's buffers */
	twin_pump();
	CHECK(got == 3 * (int)TWIN_NUM && waits > 0);
	rpmsg_virtio_set_wait_cb(&twin_remote.rvdev, NULL);
	rpmsg_destroy_ept(&r);
	rpmsg_destroy_ept(&h);
}

/* The host plays OpenAMP's proxy: it answers _open/_write/_read/_close requests. */
static int proxy_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct rpmsg_rpc_syscall req, resp;
	unsigned char out[sizeof(resp) + 8];
	(void)priv;
	CHECK(len >= sizeof(req));
	memcpy(&req, data, sizeof(req));
	resp.id = req.id;
	resp.args.int_field2 = 0;
	resp.args.data_len = 0;
	if (req.id == OPEN_SYSCALL_ID)
		resp.args.int_field1 = !strcmp((char *)data + sizeof(req), "/tmp/x") ? 3 : -1;
	else if (req.id == WRITE_SYSCALL_ID)
		resp.args.int_field1 = (int32_t)req.args.data_len;
	else if (req.id == READ_SYSCALL_ID)
		resp.args.int_field1 = 5, resp.args.data_len = 5;
	else
		resp.args.int_field1 = 0;
	memcpy(out, &resp, sizeof(resp));
	memcpy(out + sizeof(resp), "hello", 5);
	CHECK(rpmsg_sendto(ept, out, (int)(sizeof(resp) + resp.args.data_len), src) > 0);
	return RPMSG_SUCCESS;
}

static int poll_twin(void *arg)
{
	(void)arg;
	twin_pump();
	return 0;
}

static int shutdowns;
static void rpc_shutdown(struct rpmsg_rpc_data *rpc)
{
	(void)rpc;
	shutdowns++;
}

static void case_rpc_proxy(void)
{
	static struct rpmsg_endpoint proxy;
	static struct rpmsg_rpc_data rpc;
	CHECK(rpmsg_create_ept(&proxy, &twin_host.rvdev.rdev, "rpmsg-proxy", 61, 60, proxy_cb, NULL) == 0);
	CHECK(rpmsg_rpc_init(&rpc, &twin_remote.rvdev.rdev, "rpmsg-proxy", 60, 61, NULL, poll_twin,
			     rpc_shutdown) == 0);
	rpmsg_set_default_rpc(&rpc);
	char buf[16] = { 0 };
	CHECK(_open("/tmp/x", 0, 0) == 3 && _open("/tmp/y", 0, 0) == -1);
	CHECK(_write(1, "abc", 3) == 4); /* stdout goes with a NUL */
	CHECK(_read(3, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5));
	CHECK(_close(3) == 0);
	/* the proxy goes away: the RPC endpoint unbinds and the application is told */
	rpmsg_destroy_ept(&proxy);
	twin_pump();
	CHECK(rpc.ept_destroyed == 0); /* no name service for fixed addresses: the remote is not told */
	rpmsg_rpc_release(&rpc);
	CHECK(rpc.ept.rdev == NULL && shutdowns == 0);
}

int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	CHECK(metal_init(&params) == 0);
	twin_boot();
	twin_host_up(twin_host_ns_bind);
	CHECK(carved == TWIN_NUM); /* the host's receive buffers came from the override */
	twin_remote_up();
	twin_pump();
	twin_rpmsg_cases();
	case_wait_callback();
	case_rpc_proxy();
	twin_metal_cases();
	twin_down();
	metal_finish();
	printf("twin: the public API works end to end\n");
	return 0;
}
