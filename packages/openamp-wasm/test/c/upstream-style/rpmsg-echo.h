/*
 * The application header an OpenAMP example pair shares (in upstream's
 * examples it sits next to the sources): the service name both sides use.
 */
#ifndef RPMSG_ECHO_H
#define RPMSG_ECHO_H

#define RPMSG_SERVICE_NAME "rpmsg-openamp-demo-channel"

#endif
