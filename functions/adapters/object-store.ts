/** Objects in one bucket, as the handlers need them. Implementations: s3/s3-object-store.ts. */

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** Strings are written as UTF-8; iterables (Node streams included) are uploaded in parts as they arrive. */
export type ObjectBody = string | Uint8Array | AsyncIterable<Uint8Array>;

export interface MoveOptions {
  /** why the object was moved; stored in the copy's metadata (shortened) and in full in `<to>.reason.json` */
  readonly reason?: string;
}

export interface ObjectStore {
  /**
   * The object's bytes as they are stored: gzip is not undone here, the reader layer sniffs it.
   * Rejects with ObjectNotFoundError before yielding anything when the key does not exist.
   * `from` reads from that byte offset on (a fanned-out window's workers read their byte range of an object).
   */
  getStream(key: string, from?: number): Promise<AsyncIterable<Uint8Array>>;
  getText(key: string): Promise<string>;
  /** Parsed JSON, unvalidated: the caller parses it into its own type. InvalidObjectError if not JSON. */
  getJson(key: string): Promise<unknown>;
  put(
    key: string,
    body: ObjectBody,
    contentType: string,
    metadata?: Readonly<Record<string, string>>,
  ): Promise<void>;
  /** Every object under the prefix, in key order, fetched page by page as the caller iterates. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /**
   * The objects in the hour partitions `<prefix>yyyy/mm/dd/hh/` overlapping [start, end), hour by hour
   * and by key within an hour, so two listings of the same data give the same order.
   */
  listHourWindow(prefix: string, start: Date, end: Date): Promise<ObjectInfo[]>;
  /**
   * Copy then delete. The source is deleted last, so a crash leaves it in place to be moved again;
   * moving onto an existing key replaces it.
   */
  move(from: string, to: string, options?: MoveOptions): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Removes the object; a key that does not exist is not an error (S3's DeleteObject is idempotent). */
  delete(key: string): Promise<void>;
}

/** an ObjectStore per bucket: datasets and training sources may live outside the capture store */
export type StoreFor = (bucket: string) => ObjectStore;

/** `make(bucket)` once per bucket; `known` stores (the capture store) are used as they are */
export const cachedStoreFor = (
  make: (bucket: string) => ObjectStore,
  known: Readonly<Record<string, ObjectStore>> = {},
): StoreFor => {
  const stores = new Map<string, ObjectStore>(Object.entries(known));
  return (bucket) => {
    let store = stores.get(bucket);
    if (!store) {
      store = make(bucket);
      stores.set(bucket, store);
    }
    return store;
  };
};
