/* v8r OpenAMP subset: everything at once. */
#ifndef OPEN_AMP_H
#define OPEN_AMP_H

#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>

#endif
