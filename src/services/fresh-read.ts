// A read that callers asking at the same time share, each getting a result read after it asked.
// A thousand subscribers connecting at once each need the change feed's bounds: one query each
// would queue a thousand statements behind a pool of ten. Joining a read already running would
// hand a caller a result older than its call (a change committed in between would be missed by
// "from now on"); so a caller joins the read that starts next, once the running one is done. At
// most one read runs, and one more waits, whatever the number of callers.
export class FreshRead<T> {
  private running: Promise<T> | undefined;
  private queued: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    const after = this.running.then(
      () => undefined,
      () => undefined,
    );
    this.queued = after.then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<T> {
    const reading = this.read();
    this.running = reading;
    const done = () => {
      if (this.running === reading) this.running = undefined;
    };
    reading.then(done, done);
    return reading;
  }
}
