/* v8r OpenAMP: everything an application needs, as OpenAMP's open_amp.h. */
#ifndef OPEN_AMP_H_
#define OPEN_AMP_H_

#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>
#include <openamp/remoteproc.h>

#endif /* OPEN_AMP_H_ */
