/*
 * A remote written the way OpenAMP's example applications are: only the
 * machine layer of platform_info.h (platform_init, platform_create_rpmsg_vdev,
 * platform_poll, platform_release_rpmsg_vdev, platform_cleanup), the role
 * names of the older examples, the library version calls and LPRINTF
 * logging. Nothing in it knows v8r: it builds with v8r-cc as it is.
 * It echoes every message until the peer sends the shutdown word.
 */
#include <stdio.h>
#include <openamp/open_amp.h>
#include <openamp/version.h>
#include <metal/alloc.h>
#include <metal/version.h>
#include "platform_info.h"
#include "rpmsg-echo.h"

#define SHUTDOWN_MSG 0xEF56A55A

#define LPRINTF(format, ...) printf(format, ##__VA_ARGS__)
#define LPERROR(format, ...) LPRINTF("ERROR: " format, ##__VA_ARGS__)

static struct rpmsg_endpoint lept;
static int shutdown_req;
static unsigned long echoed;

static int rpmsg_endpoint_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)src;
	(void)priv;
	if (len >= sizeof(unsigned int) && *(unsigned int *)data == SHUTDOWN_MSG) {
		LPRINTF("shutdown message is received.\r\n");
		shutdown_req = 1;
		return RPMSG_SUCCESS;
	}
	if (rpmsg_send(ept, data, (int)len) < 0)
		LPERROR("rpmsg_send failed\r\n");
	else
		echoed++;
	return RPMSG_SUCCESS;
}

static void rpmsg_service_unbind(struct rpmsg_endpoint *ept)
{
	(void)ept;
	LPRINTF("unexpected Remote endpoint destroy\r\n");
	shutdown_req = 1;
}

static int app(struct rpmsg_device *rdev, void *priv)
{
	if (rpmsg_create_ept(&lept, rdev, RPMSG_SERVICE_NAME, RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, rpmsg_endpoint_cb,
			     rpmsg_service_unbind)) {
		LPERROR("Failed to create endpoint.\r\n");
		return -1;
	}
	LPRINTF("Successfully created rpmsg endpoint.\r\n");
	LPRINTF("RPMsg device TX buffer size: %#x\r\n", rpmsg_get_tx_buffer_size(&lept));
	LPRINTF("RPMsg device RX buffer size: %#x\r\n", rpmsg_get_rx_buffer_size(&lept));
	while (!shutdown_req)
		platform_poll(priv);
	LPRINTF("echoed %lu messages\r\n", echoed);
	rpmsg_destroy_ept(&lept);
	return 0;
}

int main(int argc, char *argv[])
{
	void *platform;
	struct rpmsg_device *rpdev;
	int ret;

	LPRINTF("openamp lib version: %s (Major: %d, Minor: %d, Patch: %d)\r\n", openamp_version(),
		openamp_version_major(), openamp_version_minor(), openamp_version_patch());
	LPRINTF("libmetal lib version: %s (Major: %d, Minor: %d, Patch: %d)\r\n", metal_ver(), metal_ver_major(),
		metal_ver_minor(), metal_ver_patch());
	LPRINTF("Starting application...\r\n");
	ret = platform_init(argc, argv, &platform);
	if (ret) {
		LPERROR("Failed to initialize platform.\r\n");
		return -1;
	}
	rpdev = platform_create_rpmsg_vdev(platform, 0, VIRTIO_DEV_SLAVE, NULL, NULL);
	if (!rpdev) {
		LPERROR("Failed to create rpmsg virtio device.\r\n");
		ret = -1;
	} else {
		ret = app(rpdev, platform);
		platform_release_rpmsg_vdev(rpdev);
	}
	LPRINTF("Stopping application...\r\n");
	platform_cleanup(platform);
	return ret;
}
