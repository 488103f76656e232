// A first-come, first-served lock for work that awaits. SQLite has one writer connection per
// process: a transaction that awaits between its statements must keep every other unit of work
// off that connection until it commits, or they would run inside it.

export class AsyncLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  get isHeld(): boolean {
    return this.held;
  }

  /** Runs `work` once the lock is free, holding it until `work` settles. */
  async run<R>(work: () => R | Promise<R>): Promise<R> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held = true;
    try {
      return await work();
    } finally {
      // Hand the lock straight to the next in line, so nobody can slip in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.held = false;
    }
  }
}
