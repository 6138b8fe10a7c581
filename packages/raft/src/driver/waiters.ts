/**
 * Promises waiting for the log: proposals keyed by sequence number, each with a deadline.
 * Deadlines grow with insertion order, so expiry scans from the oldest and stops early.
 */
import { DriverError } from "./driver-error.ts";

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (err: Error) => void;
  readonly deadlineMs: number;
}

export class Waiters<K, T> {
  // Invariant: insertion order is deadline order (timeoutMs is fixed per instance).
  private readonly waiting = new Map<K, Waiter<T>>();

  constructor(
    private readonly what: string,
    private readonly max: number,
    private readonly timeoutMs: number,
  ) {}

  get size(): number {
    return this.waiting.size;
  }

  has(key: K): boolean {
    return this.waiting.has(key);
  }

  /** Registers a waiter; rejects at once with "busy" when `max` are already waiting. */
  add(key: K, nowMs: number): Promise<T> {
    if (this.waiting.size >= this.max) {
      return Promise.reject(new DriverError("busy", `${this.max} ${this.what}s already waiting`));
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(key, { resolve, reject, deadlineMs: nowMs + this.timeoutMs });
    });
  }

  resolve(key: K, value: T): boolean {
    const w = this.waiting.get(key);
    if (!w) return false;
    this.waiting.delete(key);
    w.resolve(value);
    return true;
  }

  reject(key: K, err: Error): void {
    const w = this.waiting.get(key);
    if (!w) return;
    this.waiting.delete(key);
    w.reject(err);
  }

  rejectAll(err: Error): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of all) w.reject(err);
  }

  expire(nowMs: number): void {
    for (const [key, w] of this.waiting) {
      if (w.deadlineMs > nowMs) break;
      this.waiting.delete(key);
      w.reject(new DriverError("timeout", `${this.what} not applied within ${this.timeoutMs} ms`));
    }
  }
}
