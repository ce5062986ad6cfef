/*
 * echo: the remote half of the v8r C example pair. It announces the endpoint
 * "rpmsg-echo" and sends back every message it receives, until the host
 * destroys its endpoint (the name service tells us). Plain OpenAMP plus the
 * machine layer of OpenAMP's examples (platform_info.h), built with v8r-cc:
 *
 *   npx v8r-cc -o echo.wasm echo.c
 *   npx v8r-demo --app zephyr=ping.wasm --app linux=echo.wasm
 */
#include <stdio.h>
#include <openamp/open_amp.h>
#include "platform_info.h"

#define SERVICE "rpmsg-echo"

static struct rpmsg_endpoint ept;
static int done;
static unsigned long echoed;

static int on_message(struct rpmsg_endpoint *e, void *data, size_t len, uint32_t src, void *priv)
{
	(void)src;
	(void)priv;
	/* rpmsg_send waits (up to 15 s) while every buffer is with the host */
	if (rpmsg_send(e, data, (int)len) < 0)
		fprintf(stderr, "echo: rpmsg_send of %zu bytes failed\n", len);
	else
		echoed++;
	return RPMSG_SUCCESS;
}

static void on_unbind(struct rpmsg_endpoint *e)
{
	(void)e;
	done = 1; /* the host destroyed its endpoint: the test is over */
}

int main(int argc, char *argv[])
{
	void *platform;
	if (platform_init(argc, argv, &platform)) {
		fprintf(stderr, "echo: platform_init failed\n");
		return 1;
	}
	struct rpmsg_device *rdev = platform_create_rpmsg_vdev(platform, 0, VIRTIO_DEV_DEVICE, NULL, NULL);
	if (!rdev) {
		fprintf(stderr, "echo: no rpmsg device\n");
		platform_cleanup(platform);
		return 1;
	}
	if (rpmsg_create_ept(&ept, rdev, SERVICE, RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, on_message, on_unbind)) {
		fprintf(stderr, "echo: rpmsg_create_ept failed\n");
		return 1;
	}
	printf("echo: serving \"%s\" at %u\n", SERVICE, (unsigned int)ept.addr);
	while (!done)
		platform_poll(platform);
	rpmsg_destroy_ept(&ept);
	printf("echo: echoed %lu messages\n", echoed);
	platform_release_rpmsg_vdev(rdev, platform);
	platform_cleanup(platform);
	return 0;
}
