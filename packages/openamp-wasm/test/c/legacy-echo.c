/*
 * An echo written against the machine layer of older OpenAMP examples: the
 * role name VIRTIO_DEV_SLAVE and the one-argument
 * platform_release_rpmsg_vdev(rdev). The v8r machine port takes both.
 */
#include <stdio.h>
#include <openamp/open_amp.h>
#include "platform_info.h"

static struct rpmsg_endpoint ept;
static int done;

static int on_message(struct rpmsg_endpoint *e, void *data, size_t len, uint32_t src, void *priv)
{
	(void)src, (void)priv;
	return rpmsg_send(e, data, (int)len) < 0 ? -1 : RPMSG_SUCCESS;
}

static void on_unbind(struct rpmsg_endpoint *e)
{
	(void)e;
	done = 1;
}

int main(int argc, char *argv[])
{
	void *platform;
	if (platform_init(argc, argv, &platform))
		return 1;
	struct rpmsg_device *rdev = platform_create_rpmsg_vdev(platform, 0, VIRTIO_DEV_SLAVE, NULL, NULL);
	if (!rdev || rpmsg_create_ept(&ept, rdev, "rpmsg-echo", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, on_message, on_unbind))
		return 1;
	while (!done)
		platform_poll(platform);
	printf("legacy-echo: done\n");
	platform_release_rpmsg_vdev(rdev);
	platform_cleanup(platform);
	return 0;
}
