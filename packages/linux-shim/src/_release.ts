/** The kernel release v8r's Linux reports (`uname -r`). */
export const LINUX_RELEASE = "6.6.0-v8r";
