// What the page and the service worker share: the IndexedDB database (the signed-in user's scope
// and the queue of sessions waiting to send) and the names of the per-user caches.
import { openDB } from "idb";

export const DB_NAME = "inclusion-offline";
export const CACHE_PREFIX = "inclusion-user-";
export const FORM_PATH = "/sessions/new";
export const DATA_PATH = "/offline/data.json";
export const OFFLINE_FORM = "/sessions/new?offline=1";
export const SCOPE_HEADER = "Inclusion-Offline-Scope";

export const userCache = (scope) => `${CACHE_PREFIX}${scope}`;

// Each use opens and closes its own connection, so that deleting the database at sign-out is never
// held up by a connection left open in another tab or in the worker.
async function withDatabase(work) {
  const db = await openDB(DB_NAME, 1, {
    upgrade(database, _oldVersion, _newVersion, transaction) {
      transaction.done.catch(() => {}); // an aborted upgrade rejects the open too: reported there
      database.createObjectStore("meta");
      database.createObjectStore("queue", { keyPath: "key" });
    },
    blocking() {
      db.close();
    },
  });
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

// idb gives every transaction a `done` promise from the moment it exists and rejects it when the
// transaction aborts, as deleting the database at sign-out (or the server's Clear-Site-Data) does.
// Unless something waits on it, that rejection is an uncaught error on the page; so every use goes
// through here, and an abort reaches the caller once, through `work` or `done`
// (https://github.com/jakearchibald/idb/issues/320). idb's shortcuts (db.get, db.put) never wait
// on a read's `done`, so they are not used.
function inStore(storeName, mode, work) {
  return withDatabase(async (db) => {
    const transaction = db.transaction(storeName, mode);
    transaction.done.catch(() => {});
    const result = await work(transaction.store);
    await transaction.done;
    return result;
  });
}

export const currentScope = () => inStore("meta", "readonly", async (store) => (await store.get("scope")) || "");
export const setScope = (scope) => inStore("meta", "readwrite", (store) => store.put(scope, "scope"));
export const getMeta = (name) => inStore("meta", "readonly", (store) => store.get(name));
export const setMeta = (name, value) => inStore("meta", "readwrite", (store) => store.put(value, name));
export const allEntries = () => inStore("queue", "readonly", (store) => store.getAll());
export const putEntry = (entry) => inStore("queue", "readwrite", (store) => store.put(entry));
export const getEntry = (key) => inStore("queue", "readonly", (store) => store.get(key));
export const deleteEntry = (key) => inStore("queue", "readwrite", (store) => store.delete(key));

export function updateEntry(key, changes) {
  return inStore("queue", "readwrite", async (store) => {
    const entry = await store.get(key);
    if (entry) await store.put({ ...entry, ...changes });
    return entry ? { ...entry, ...changes } : null;
  });
}

export function deleteDatabase() {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
