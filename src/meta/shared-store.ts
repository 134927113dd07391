/**
 * One metastore shared by the users of a long-lived process (the master's web requests, job runs and metrics
 * flushes): one SQLite handle or one PostgreSQL pool, instead of a new one (new connections, password
 * authentication) per use. Each user leases a view of it; the view's close() ends the lease, never the store.
 *
 * A store opened before a `format` by another process writes nothing more (the "replaced" error): the first
 * such error retires it, and the next lease opens the store afresh; the retired one closes once its last lease
 * ends.
 */
import type {MetaStore} from './store.js';
import {isReplaced} from './store-errors.js';

interface Slot {
  store: Promise<MetaStore>;
  leases: number;
  retired: boolean;
}

export class SharedMetaStore {
  private slot?: Slot;
  private readonly closing = new Set<Promise<void>>();

  constructor(private readonly openStore: () => Promise<MetaStore>) {}

  /** A view of the current store (opened on first use, and again after a format) for one user to close. */
  async lease(): Promise<MetaStore> {
    if (!this.slot || this.slot.retired) this.slot = {store: this.openStore(), leases: 0, retired: false};
    const slot = this.slot;
    slot.leases++;
    let store: MetaStore;
    try {
      store = await slot.store;
    } catch (e) {
      // A store that failed to open is not kept: the next lease tries again.
      this.retire(slot);
      this.end(slot);
      throw e;
    }
    return leasedView(store, () => this.retire(slot), () => this.end(slot));
  }

  /** Closes the store once its leases end (at once when none is out); later leases open it again. */
  async close(): Promise<void> {
    if (this.slot) this.retire(this.slot);
    await Promise.all(this.closing);
  }

  private retire(slot: Slot): void {
    if (slot.retired) return;
    slot.retired = true;
    if (slot.leases === 0) this.closeStore(slot);
  }

  private end(slot: Slot): void {
    slot.leases--;
    if (slot.retired && slot.leases === 0) this.closeStore(slot);
  }

  private closeStore(slot: Slot): void {
    const done = slot.store.then(
      (store) => store.close(),
      () => undefined, // it never opened: nothing to close
    );
    this.closing.add(done);
    const forget = () => this.closing.delete(done);
    done.then(forget, forget);
  }
}

/**
 * The store with close() ending the lease (once), and every method's "replaced" rejection retiring the store
 * before it reaches the caller, whether the caller passes the error on or not.
 */
function leasedView(store: MetaStore, onReplaced: () => void, end: () => void): MetaStore {
  let ended = false;
  return new Proxy(store, {
    get(target, property) {
      if (property === 'close') {
        return async () => {
          if (!ended) end();
          ended = true;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((e: unknown) => {
          if (isReplaced(e)) onReplaced();
          throw e;
        });
      };
    },
  });
}
