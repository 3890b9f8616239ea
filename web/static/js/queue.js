// The capture queue in IndexedDB: a capture stays here until the server acknowledged it.

const DB_NAME = 'cardscan';
const STORE = 'captures';
let dbPromise = null;

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(STORE, { keyPath: 'uuid' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return dbPromise;
}

async function run(mode, action) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = action(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request?.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
  });
}

export const put = (item) => run('readwrite', (s) => s.put(item));
export const get = (uuid) => run('readonly', (s) => s.get(uuid));
export const remove = (uuid) => run('readwrite', (s) => s.delete(uuid));
export async function all() {
  const items = (await run('readonly', (s) => s.getAll())) || [];
  return items.sort((a, b) => a.created - b.created);
}

export async function update(uuid, changes) {
  const item = await get(uuid);
  if (!item) return null;
  Object.assign(item, changes);
  await put(item);
  return item;
}

export function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Plain http on a LAN address is not a secure context: randomUUID is missing there.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
