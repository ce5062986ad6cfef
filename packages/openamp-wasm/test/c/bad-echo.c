/* An echo that damages every 10th message (one byte flipped), for the tests of ping's checks. */
#include <string.h>
#include <openamp/open_amp.h>
#include "platform_info.h"

static struct rpmsg_endpoint ept;
static int done;
static unsigned long n;

static int on_message(struct rpmsg_endpoint *e, void *data, size_t len, uint32_t src, void *priv)
{
	unsigned char copy[RPMSG_BUFFER_SIZE];
	(void)src, (void)priv;
	memcpy(copy, data, len);
	if (++n % 10 == 0)
		copy[len - 1] ^= 0x5a;
	rpmsg_send(e, copy, (int)len);
	return RPMSG_SUCCESS;
}

static void on_unbind(struct rpmsg_endpoint *e)
{
	(void)e;
	done = 1;
}

int main(int argc, char *argv[])
{
	void *p;
	if (platform_init(argc, argv, &p))
		return 1;
	struct rpmsg_device *rdev = platform_create_rpmsg_vdev(p, 0, VIRTIO_DEV_DEVICE, NULL, NULL);
	if (!rdev || rpmsg_create_ept(&ept, rdev, "rpmsg-echo", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, on_message, on_unbind))
		return 1;
	while (!done)
		platform_poll(p);
	platform_cleanup(p);
	return 0;
}
