/**
 * SUBSCRIBE / UNSUBSCRIBE of agent channels, gathered per event-loop turn into one command each:
 * a take-over storm opens a thousand agents at once, and one SUBSCRIBE of a thousand channels
 * costs Redis and the node a fraction of a thousand SUBSCRIBEs of one.
 */
import type { Redis } from 'ioredis';

interface Batch {
  channels: Set<string>;
  done: Promise<void>;
}

export class ChannelBatcher {
  #redis: Redis;
  #subscribing: Batch | undefined;
  #unsubscribing: Batch | undefined;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  /** Resolves once Redis has confirmed the subscription (with the rest of its batch). */
  subscribe(channel: string): Promise<void> {
    this.#unsubscribing?.channels.delete(channel);
    this.#subscribing ??= this.#batch((channels) => this.#redis.subscribe(...channels), () => (this.#subscribing = undefined));
    this.#subscribing.channels.add(channel);
    return this.#subscribing.done;
  }

  unsubscribe(channel: string): Promise<void> {
    // Subscribed again in the same turn (an agent reopened): the unsubscribe is dropped rather
    // than sent after it.
    this.#subscribing?.channels.delete(channel);
    this.#unsubscribing ??= this.#batch((channels) => this.#redis.unsubscribe(...channels), () => (this.#unsubscribing = undefined));
    this.#unsubscribing.channels.add(channel);
    return this.#unsubscribing.done;
  }

  #batch(send: (channels: string[]) => Promise<unknown>, close: () => void): Batch {
    const channels = new Set<string>();
    const done = new Promise<void>((resolve, reject) => {
      // setImmediate: the I/O callbacks of this turn (a burst of hellos) join the same batch.
      globalThis.setImmediate(() => {
        close();
        if (channels.size === 0) return resolve();
        send([...channels]).then(() => resolve(), reject);
      });
    });
    // Each caller handles its own rejection; this keeps an unused batch from being unhandled.
    done.catch(() => {});
    return { channels, done };
  }
}
