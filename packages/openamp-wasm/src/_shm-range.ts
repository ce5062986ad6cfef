/** Whether [off, off + len) lies inside a region of `size` bytes (integers expected). */
export function inRegion(off: number, len: number, size: number): boolean {
  return off >= 0 && len >= 0 && off + len <= size;
}
