/* v8r OpenAMP: the OpenAMP API version this implementation follows. */
#ifndef OPENAMP_VERSION_H
#define OPENAMP_VERSION_H

#if defined __cplusplus
extern "C" {
#endif

#define OPENAMP_VERSION_MAJOR 1
#define OPENAMP_VERSION_MINOR 10
#define OPENAMP_VERSION_PATCH 0
#define OPENAMP_VERSION "1.10.0"

int openamp_version_major(void);
int openamp_version_minor(void);
int openamp_version_patch(void);
const char *openamp_version(void);

#if defined __cplusplus
}
#endif

#endif /* OPENAMP_VERSION_H */
