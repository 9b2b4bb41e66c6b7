import type { Subscription } from '../ports/bus.js';

/** The consumers a bus has open, so that close() can drain whichever are still left. */
export class OpenSubscriptions {
  private readonly open = new Set<Subscription>();

  track(inner: { drain(): Promise<void> }): Subscription {
    const subscription: Subscription = {
      drain: async () => {
        await inner.drain();
        this.open.delete(subscription);
      },
    };
    this.open.add(subscription);
    return subscription;
  }

  async drainAll(): Promise<void> {
    await Promise.all([...this.open].map((s) => s.drain()));
  }
}
