/** Typed view of the module's exports (see csrc/v8r_glue.c). */
export interface OpenAmpExports {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  v8r_setup_static(role: number, shmSize: number, physBase: number, statusOff: number, poolOff: number, poolSize: number,
    vq0Off: number, vq1Off: number, num: number, align: number, h2r: number, r2h: number): number;
  v8r_setup_rsc(role: number, shmSize: number, physBase: number, rscOff: number, poolOff: number, poolSize: number, h2r: number, r2h: number): number;
  v8r_start(): number;
  v8r_notified(id: number): number;
  v8r_poll(): number;
  v8r_idle(): number;
  v8r_ept_create(namePtr: number, src: number, dst: number): number;
  v8r_ept_destroy(ept: number): void;
  v8r_ept_addr(ept: number): number;
  v8r_ept_dest(ept: number): number;
  v8r_tx_take(): number;
  v8r_tx_send(tag: number, src: number, dst: number, len: number): number;
  v8r_tx_publish(tag: number, len: number): number;
  v8r_tx_release(tag: number): number;
  v8r_send_copy(src: number, dst: number, dataPtr: number, len: number, wait: number): number;
  v8r_rx_hold(): number;
  v8r_rx_release(k: number): number;
  v8r_tx_size(): number;
  v8r_rx_size(): number;
  v8r_out_ptr(): number;
  v8r_alloc(size: number): number;
  v8r_free(ptr: number): void;
  v8r_stats(): number;
  v8r_deinit(): void;
  v8r_vring_notify_id(index: number): number;
}

/** Callbacks the module calls back into (module "v8r_env"). */
export interface EnvHandlers {
  notify(id: number): void;
  /** k: index of the receive buffer (stable while the buffer is held). */
  onMessage(ept: number, src: number, off: number, len: number, k: number): void;
  onNsBind(namePtr: number, len: number, addr: number): void;
  onBind(ept: number, dest: number, oldDest: number): void;
  log(level: number, ptr: number, len: number): void;
}
