// Uploads queued captures, oldest first. A capture leaves the queue only when the server
// answers 200/202; offline, 5xx, timeouts and 401 keep it (401 waits for a login).

import { csrf, refreshCsrf } from './api.js';
import * as queue from './queue.js';

const MAX_DELAY = 60_000;
let running = false;
let again = false;
let failures = 0;
let timer = null;
let state = { waiting: 0, held: 0, rejected: 0, loggedOut: false, offline: false };

function emit() {
  window.dispatchEvent(new CustomEvent('queue-change', { detail: { ...state } }));
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(drain, ms);
}

function backoff() {
  failures += 1;
  const delay = Math.min(MAX_DELAY, 1000 * 2 ** Math.min(failures, 6));
  schedule(delay * (0.75 + Math.random() * 0.5));
}

async function send(item) {
  const form = new FormData();
  form.append('photo', new Blob([item.front], { type: item.type || 'image/jpeg' }), 'front.jpg');
  if (item.back) form.append('back', new Blob([item.back], { type: 'image/jpeg' }), 'back.jpg');
  form.append('uuid', item.uuid);
  if (item.event) form.append('event', item.event);
  if (item.reasons && item.reasons.length) form.append('reasons', JSON.stringify(item.reasons));
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 120_000);
  try {
    return await fetch('/api/cards', {
      method: 'POST',
      body: form,
      headers: { Accept: 'application/json', 'X-CSRFToken': csrf() },
      credentials: 'same-origin',
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timeout);
  }
}

// A capture belongs to whoever snapped it: on a shared phone, another account never
// uploads it (it waits until its owner logs in again).
const me = document.querySelector('meta[name="cardscan-user"]')?.content || null;
const mine = (item) => !item.user || !me || item.user === me;

// A page served from the service worker's cache may carry a stale CSRF token: before the
// first upload of this page, take the session's current one (one small GET), so an upload
// is not refused with a 400 first.
let tokenFresh = false;

async function count() {
  const items = (await queue.all()).filter(mine);
  const now = Date.now();
  state.waiting = items.filter((i) => !i.rejected).length;
  state.held = items.filter((i) => !i.rejected && i.holdUntil > now).length;
  state.rejected = items.filter((i) => i.rejected).length;
  return items;
}

export async function drain() {
  if (running) {
    again = true;
    return;
  }
  running = true;
  clearTimeout(timer);
  try {
    const items = await count();
    if (!tokenFresh && items.some((i) => !i.rejected && !(i.holdUntil > Date.now()))) {
      try {
        tokenFresh = (await refreshCsrf()) === 200;
      } catch {
        // offline: the upload below finds out and backs off
      }
    }
    let csrfRetried = false;
    let nextHold = Infinity;
    for (const item of items) {
      if (item.rejected) continue;
      if (item.holdUntil > Date.now()) {
        nextHold = Math.min(nextHold, item.holdUntil);
        continue;
      }
      let response;
      try {
        response = await send(item);
      } catch {
        state.offline = true;
        emit();
        backoff();
        return;
      }
      state.offline = false;
      if (response.status === 200 || response.status === 202) {
        const data = await response.json().catch(() => ({}));
        await queue.remove(item.uuid);
        failures = 0;
        state.loggedOut = false;
        window.dispatchEvent(new CustomEvent('card-uploaded', { detail: { uuid: item.uuid, id: data.id } }));
        await count();
        emit();
        continue;
      }
      if (response.status === 401) {
        state.loggedOut = true;
        emit();
        return; // the next login, 'online' or visibility change tries again
      }
      if (response.status === 400 && !csrfRetried) {
        const body = await response.clone().json().catch(() => ({}));
        if (/security token/i.test(body.error || '')) {
          csrfRetried = true;
          const status = await refreshCsrf();
          tokenFresh = status === 200;
          if (status === 401) {
            state.loggedOut = true;
            emit();
            return;
          }
          again = true;
          break;
        }
      }
      if (response.status >= 400 && response.status < 500 && ![408, 409, 425, 429].includes(response.status)) {
        // The server will never take this file as it is: keep it, say why, let the user decide.
        const body = await response.json().catch(() => ({}));
        await queue.update(item.uuid, { rejected: body.error || `refused (${response.status})` });
        await count();
        emit();
        continue;
      }
      backoff(); // 5xx, 429, 408: try again later
      emit();
      return;
    }
    await count();
    emit();
    if (nextHold !== Infinity) schedule(Math.max(200, nextHold - Date.now() + 50));
  } finally {
    running = false;
    if (again) {
      again = false;
      setTimeout(drain, 0);
    }
  }
}

export async function discardRejected() {
  for (const item of await queue.all()) if (item.rejected && mine(item)) await queue.remove(item.uuid);
  await drain();
}

export function start() {
  window.addEventListener('online', () => {
    failures = 0;
    drain();
  });
  window.addEventListener('offline', () => {
    state.offline = true;
    emit();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') drain();
  });
  drain();
}
