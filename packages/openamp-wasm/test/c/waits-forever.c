/* Waits for a doorbell that never rings (platform_poll in a loop), for the stop test. */
#include <stdio.h>
#include "platform_info.h"
int main(int argc, char *argv[])
{
	void *p;
	if (platform_init(argc, argv, &p))
		return 1;
	printf("waiting\n");
	struct rpmsg_device *rdev = platform_create_rpmsg_vdev(p, 0, VIRTIO_DEV_DEVICE, NULL, NULL); /* no host: waits */
	printf("unreachable %p\n", (void *)rdev);
	return 0;
}
