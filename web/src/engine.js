// The main thread's side of engine.worker.js: promise calls, load progress and cancel, and
// "latest wins" for live re-scoring (while one rule set is being scored, only the newest
// pending one is sent next — typing never queues up stale work).
//
// If the worker dies (a crash, an out-of-memory abort), the engine starts a new one and tells
// the app through onRestart, which reloads the saved data and rules: work is never lost.

export class EngineError extends Error {
  constructor(e) {
    super(e.message);
    this.name = 'LeadScoreError';
    Object.assign(this, e, { message: e.message });
  }
}

export class Engine {
  #worker = null; #pending = new Map(); #next = 1; #latest = new Map();
  onRestart = null;

  constructor(url) {
    this.url = url;
    this.#start();
  }

  #start() {
    const w = new Worker(this.url, { type: 'module', name: 'leadscore' });
    w.addEventListener('message', (e) => this.#onMessage(e.data));
    w.addEventListener('error', (e) => {
      e.preventDefault();
      this.#crashed(e.message || 'the scoring worker stopped');
    });
    this.#worker = w;
  }

  #crashed(why) {
    this.#worker?.terminate();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#latest.clear();
    this.#start();
    for (const p of pending) p.reject(new EngineError({ code: 'crashed', message: `the scoring worker stopped (${why}); it was restarted and your work reloaded` }));
    this.onRestart?.(why);
  }

  #onMessage(msg) {
    const p = this.#pending.get(msg?.id);
    if (!p) return;
    if (msg.progress) return void p.onProgress?.(msg.progress);
    this.#pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new EngineError(msg.error));
  }

  /** One request; `signal` cancels a load. */
  call(op, args = {}, { onProgress, signal, transfer = [] } = {}) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      signal?.addEventListener('abort', () => this.#worker.postMessage({ op: 'cancel', target: id }), { once: true });
      this.#worker.postMessage({ id, op, args }, transfer);
    });
  }

  /**
   * Calls `op` for `key` (e.g. scoring variant A), keeping at most one in flight per key: a call
   * made while one is running replaces any call still waiting. Superseded calls resolve with
   * {superseded: true}.
   */
  latest(key, op, args) {
    let slot = this.#latest.get(key);
    if (!slot) this.#latest.set(key, (slot = { running: false, waiting: null }));
    return new Promise((resolve, reject) => {
      if (slot.waiting) slot.waiting.resolve({ superseded: true });
      slot.waiting = { op, args, resolve, reject };
      if (!slot.running) this.#drain(key, slot);
    });
  }

  async #drain(key, slot) {
    while (slot.waiting) {
      const job = slot.waiting;
      slot.waiting = null;
      slot.running = true;
      try {
        job.resolve(await this.call(job.op, job.args));
      } catch (e) {
        job.reject(e);
      } finally {
        slot.running = false;
      }
    }
  }

  /** For tests: make the worker crash, to check that work survives. */
  crash() { return this.call('crash'); }
}
