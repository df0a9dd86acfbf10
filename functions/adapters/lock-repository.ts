/** Named locks with expiry, e.g. one retraining per model at a time. Implementation: dynamodb/. */

export interface LockHolder {
  readonly owner: string;
  readonly acquiredAt: string;
  readonly expiresAt: Date;
}

export interface LockRepository {
  /**
   * Takes the lock if it is free, expired, or already held by `owner` (a retried step renews its own lock).
   * Resolves false when someone else holds it. One conditional write, so concurrent callers cannot both win.
   */
  acquire(model: string, name: string, owner: string, ttlSeconds: number, now: Date): Promise<boolean>;
  /** Frees the lock if `owner` holds it; resolves false (and changes nothing) otherwise. */
  release(model: string, name: string, owner: string): Promise<boolean>;
  /** The current holder, if the lock is held and not expired at `now`. */
  holder(model: string, name: string, now: Date): Promise<LockHolder | undefined>;
}
