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
    upgrade(database) {
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

export const currentScope = () => withDatabase(async (db) => (await db.get("meta", "scope")) || "");
export const setScope = (scope) => withDatabase((db) => db.put("meta", scope, "scope"));
export const getMeta = (name) => withDatabase((db) => db.get("meta", name));
export const setMeta = (name, value) => withDatabase((db) => db.put("meta", value, name));
export const allEntries = () => withDatabase((db) => db.getAll("queue"));
export const putEntry = (entry) => withDatabase((db) => db.put("queue", entry));
export const getEntry = (key) => withDatabase((db) => db.get("queue", key));
export const deleteEntry = (key) => withDatabase((db) => db.delete("queue", key));

export async function updateEntry(key, changes) {
  return withDatabase(async (db) => {
    const transaction = db.transaction("queue", "readwrite");
    const entry = await transaction.store.get(key);
    if (entry) await transaction.store.put({ ...entry, ...changes });
    await transaction.done;
    return entry ? { ...entry, ...changes } : null;
  });
}

export function deleteDatabase() {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
