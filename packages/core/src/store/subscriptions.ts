import type { RecordedEvent } from '../events/envelope.ts';
import type { SubscribeOptions, Subscription } from './types.ts';

type ReadPage = (after: number, limit: number) => Promise<readonly RecordedEvent[]>;

/**
 * Subscription delivery shared by stores: each subscriber has a cursor and a pump that
 * reads pages after the cursor and hands them to its handler, one batch at a time, in
 * position order. `notify()` wakes every pump after an append (or a NOTIFY, or a poll);
 * a pump that is already running simply reads on, so no wake-up is lost and no batch
 * waits on a timer.
 */
export class Subscriptions {
  readonly #readPage: ReadPage;
  readonly #head: () => Promise<number>;
  readonly #active = new Set<Subscriber>();

  constructor(readPage: ReadPage, head: () => Promise<number>) {
    this.#readPage = readPage;
    this.#head = head;
  }

  add(options: SubscribeOptions): Subscription {
    const sub = new Subscriber(options, this.#readPage, this.#head, () => this.#active.delete(sub));
    this.#active.add(sub);
    sub.wake();
    return sub.handle;
  }

  /** Wake every subscriber: new events may be there. */
  notify(): void {
    for (const s of this.#active) s.wake();
  }

  #poller: ReturnType<typeof setInterval> | null = null;
  #lastHead = -1;

  /**
   * Poll the store's head every `intervalMs` while anyone is subscribed, and wake the
   * subscribers when it moved: how a store sees appends made by other processes (SQLite),
   * or keeps going when its push channel (LISTEN/NOTIFY, a live subscription) is down.
   * Idempotent; the timer does not keep the process alive and stops with `closeAll`.
   */
  pollHead(intervalMs: number): void {
    if (this.#poller) return;
    this.#poller = setInterval(() => {
      if (this.#active.size === 0) return;
      this.#head().then(
        (h) => {
          if (h !== this.#lastHead) {
            this.#lastHead = h;
            this.notify();
          }
        },
        // A failed poll is retried at the next tick; readers report store errors themselves.
        () => {},
      );
    }, intervalMs);
    (this.#poller as { unref?: () => void }).unref?.();
  }

  get size(): number {
    return this.#active.size;
  }

  async closeAll(): Promise<void> {
    if (this.#poller) clearInterval(this.#poller);
    this.#poller = null;
    await Promise.all([...this.#active].map((s) => s.handle.close()));
  }
}

class Subscriber {
  #cursor: number;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;
  #failed: unknown = undefined;
  #waiters: { target: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  readonly handle: Subscription;
  private readonly options: SubscribeOptions;
  private readonly readPage: ReadPage;
  private readonly head: () => Promise<number>;
  private readonly onClose: () => void;

  constructor(
    options: SubscribeOptions,
    readPage: ReadPage,
    head: () => Promise<number>,
    onClose: () => void,
  ) {
    this.options = options;
    this.readPage = readPage;
    this.head = head;
    this.onClose = onClose;
    this.#cursor = options.after ?? 0;
    this.handle = {
      position: () => this.#cursor,
      caughtUp: async () => {
        const target = await this.head();
        if (this.#failed !== undefined) throw this.#failed;
        if (this.#cursor >= target) return;
        await new Promise<void>((resolve, reject) => {
          this.#waiters.push({ target, resolve, reject });
          this.wake();
        });
      },
      close: async () => {
        this.#closed = true;
        this.onClose();
        await this.#running;
        for (const w of this.#waiters.splice(0)) w.resolve();
      },
    };
  }

  wake(): void {
    if (this.#closed || this.#failed !== undefined) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#pump().finally(() => {
      this.#running = null;
    });
  }

  async #pump(): Promise<void> {
    const size = this.options.batchSize ?? 500;
    try {
      do {
        this.#again = false;
        for (;;) {
          if (this.#closed) return;
          const page = await this.readPage(this.#cursor, size);
          if (page.length === 0) break;
          if (this.#closed) return;
          await this.options.onEvents(page);
          this.#cursor = page[page.length - 1]!.position;
          this.#settle();
        }
      } while (this.#again && !this.#closed);
      this.#settle();
    } catch (error) {
      this.#failed = error;
      for (const w of this.#waiters.splice(0)) w.reject(error);
      this.options.onError?.(error);
      this.onClose();
    }
  }

  #settle(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (this.#cursor >= w.target) {
        w.resolve();
        return false;
      }
      return true;
    });
  }
}
