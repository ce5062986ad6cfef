/*
 * The host of the pair, in the style of OpenAMP's example applications: it
 * waits for the remote's name-service announcement, sends payloads of every
 * size from 1 byte to what a buffer holds (each filled with 0xA5), waits for
 * each echo and checks it, then sends the shutdown word. Only the machine
 * layer of platform_info.h, the newer role names and two-argument release,
 * libmetal's allocator: it builds with v8r-cc as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openamp/open_amp.h>
#include <metal/alloc.h>
#include "platform_info.h"
#include "rpmsg-echo.h"

#define SHUTDOWN_MSG 0xEF56A55A
#define PAYLOAD_MIN_SIZE 1

#define LPRINTF(format, ...) printf(format, ##__VA_ARGS__)
#define LPERROR(format, ...) LPRINTF("ERROR: " format, ##__VA_ARGS__)

struct _payload {
	unsigned long num;
	unsigned long size;
	unsigned char data[];
};

static struct rpmsg_endpoint lept;
static unsigned long rnum;
static int err_cnt;
static int ept_deleted;

static int rpmsg_endpoint_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	struct _payload *r = data;
	(void)ept;
	(void)src;
	(void)priv;
	if (len < sizeof(*r) || r->size == 0 || len != sizeof(*r) + r->size) {
		LPERROR("a payload of the wrong size came back (%lu bytes)\r\n", (unsigned long)len);
		err_cnt++;
		return RPMSG_SUCCESS;
	}
	for (unsigned long i = 0; i < r->size; i++) {
		if (r->data[i] != 0xA5) {
			LPERROR("data corruption at index %lu of payload %lu\r\n", i, r->num);
			err_cnt++;
			break;
		}
	}
	rnum = r->num + 1;
	return RPMSG_SUCCESS;
}

static void rpmsg_service_unbind(struct rpmsg_endpoint *ept)
{
	(void)ept;
	LPRINTF("echo test: service is destroyed\r\n");
	ept_deleted = 1;
}

static void rpmsg_name_service_bind_cb(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	if (strcmp(name, RPMSG_SERVICE_NAME))
		LPERROR("Unexpected name service %s.\r\n", name);
	else if (rpmsg_create_ept(&lept, rdev, RPMSG_SERVICE_NAME, RPMSG_ADDR_ANY, dest, rpmsg_endpoint_cb,
				  rpmsg_service_unbind))
		LPERROR("Failed to create the endpoint.\r\n");
}

static int app(struct rpmsg_device *rdev, void *priv)
{
	int max_size = rpmsg_virtio_get_buffer_size(rdev);
	if (max_size <= (int)sizeof(struct _payload)) {
		LPERROR("No available buffer size.\r\n");
		return -1;
	}
	max_size -= (int)sizeof(struct _payload);
	struct _payload *p = metal_allocate_memory(sizeof(struct _payload) + (size_t)max_size);
	if (!p) {
		LPERROR("memory allocation failed.\r\n");
		return -1;
	}
	while (!is_rpmsg_ept_ready(&lept))
		platform_poll(priv);
	LPRINTF("RPMSG endpoint is bound with the remote.\r\n");
	unsigned long sent = 0;
	for (int size = PAYLOAD_MIN_SIZE; size <= max_size && !err_cnt && !ept_deleted; size++) {
		p->num = sent;
		p->size = (unsigned long)size;
		memset(p->data, 0xA5, (size_t)size);
		if (rpmsg_send(&lept, p, (int)sizeof(*p) + size) < 0) {
			LPERROR("Failed to send data...\r\n");
			err_cnt++;
			break;
		}
		sent++;
		while (rnum < sent && !err_cnt && !ept_deleted)
			platform_poll(priv);
	}
	LPRINTF("**********************************\r\n");
	LPRINTF(" Test Results: Error count = %d, %lu payloads echoed\r\n", err_cnt, rnum);
	LPRINTF("**********************************\r\n");
	unsigned int shutdown = SHUTDOWN_MSG;
	if (!ept_deleted && rpmsg_send(&lept, &shutdown, sizeof(shutdown)) < 0)
		err_cnt++;
	rpmsg_destroy_ept(&lept);
	metal_free_memory(p);
	LPRINTF("Quitting application .. Echo test end\r\n");
	return err_cnt ? -1 : 0;
}

int main(int argc, char *argv[])
{
	void *platform;
	struct rpmsg_device *rpdev;
	int ret;

	ret = platform_init(argc, argv, &platform);
	if (ret) {
		LPERROR("Failed to initialize platform.\r\n");
		return -1;
	}
	rpdev = platform_create_rpmsg_vdev(platform, 0, VIRTIO_DEV_DRIVER, NULL, rpmsg_name_service_bind_cb);
	if (!rpdev) {
		LPERROR("Failed to create rpmsg virtio device.\r\n");
		ret = -1;
	} else {
		ret = app(rpdev, platform);
		platform_release_rpmsg_vdev(rpdev, platform);
	}
	LPRINTF("Stopping application...\r\n");
	platform_cleanup(platform);
	return ret;
}
