// Uploads queued captures, oldest first. A capture leaves the queue only when the server
// answers 200/202; offline, 5xx, timeouts and 401 keep it (401 waits for a login). The server
// dedupes on the capture's UUID, so a retry after a lost answer is the same card.
//
// Reasons chosen while the photo was on its way reach the card afterwards: the queue entry
// then stays as {uploadedAs: id} until POST /api/cards/<id>/reasons took them.

import { csrf, refreshCsrf } from './api.js';
import * as queue from './queue.js';

const MAX_DELAY = 60_000;
let running = false;
let again = false;
let failures = 0;
let timer = null;
let started = false;
const state = { waiting: 0, rejected: 0, loggedOut: false, offline: false, sending: null };

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

function post(path, body, extra = {}) {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(), 120_000);
  const headers = { Accept: 'application/json', 'X-CSRFToken': csrf(), ...extra };
  const json = !(body instanceof Blob || body instanceof FormData);
  if (json) headers['Content-Type'] = 'application/json';
  return fetch(path, {
    method: 'POST',
    body: json ? JSON.stringify(body) : body,
    headers,
    credentials: 'same-origin',
    signal: controller.signal,
  }).finally(() => clearTimeout(timeout));
}

function send(item) {
  if (item.uploadedAs) return post(`/api/cards/${item.uploadedAs}/reasons`, { reasons: item.reasons || [] });
  const fields = { uuid: item.uuid };
  if (item.created) fields.taken = new Date(item.created).toISOString(); // a capture may wait offline
  if (item.event) fields.event = item.event;
  const reasons = item.reasons && item.reasons.length ? JSON.stringify(item.reasons) : null;
  // The server judges the format by the bytes; the type only says the body is a photo.
  const type = item.type && item.type.startsWith('image/') ? item.type : 'image/jpeg';
  const front = new Blob([item.front], { type });
  if (!item.back) {
    // The photo is the body (the server has no form to parse, so it answers sooner); the
    // fields go in the query string, the reasons in a header, out of the URL.
    const extra = reasons ? { 'X-Reasons': encodeURIComponent(reasons) } : {};
    return post(`/api/cards?${new URLSearchParams(fields)}`, front, extra);
  }
  const form = new FormData();
  form.append('photo', front, 'front.jpg');
  form.append('back', new Blob([item.back], { type: 'image/jpeg' }), 'back.jpg');
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (reasons) form.append('reasons', reasons);
  return post('/api/cards', form);
}

// A capture belongs to whoever snapped it: on a shared phone, another account never
// uploads it (it waits until its owner logs in again). One snapped signed out (no owner)
// goes to whoever signs in next.
const me = document.querySelector('meta[name="cardscan-user"]')?.content || null;
export const mine = (item) => !item.user || !me || item.user === me;

// A page served from the service worker's cache may carry a stale CSRF token: before the
// first upload of this page, take the session's current one (one small GET), so an upload
// is not refused with a 400 first.
let tokenFresh = false;

async function count() {
  const items = (await queue.all()).filter(mine);
  state.waiting = items.filter((i) => !i.rejected && !i.uploadedAs).length;
  state.rejected = items.filter((i) => i.rejected).length;
  return items;
}

async function uploaded(item, sentReasons, data) {
  // Told first (the page learns the card's id), then the entry goes, unless reasons were
  // added while the photo was on its way: those then follow it.
  if (!item.uploadedAs) {
    window.dispatchEvent(new CustomEvent('card-uploaded', { detail: { ...data, uuid: item.uuid } }));
  }
  const now = await queue.get(item.uuid);
  const added = now && !item.uploadedAs ? (now.reasons || []).slice(sentReasons) : [];
  if (added.length) {
    await queue.put({ uuid: item.uuid, user: item.user, created: item.created, uploadedAs: data.id, reasons: added, thumb: now.thumb });
    again = true;
  } else {
    await queue.remove(item.uuid);
  }
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
    if (!tokenFresh && items.some((i) => !i.rejected)) {
      try {
        tokenFresh = (await refreshCsrf()) === 200;
      } catch {
        // offline: the upload below finds out and backs off
      }
    }
    let csrfRetried = false;
    for (const item of items) {
      if (item.rejected) continue;
      const sentReasons = (item.reasons || []).length;
      let response;
      state.sending = item.uuid;
      emit();
      try {
        response = await send(item);
      } catch {
        state.offline = true;
        state.sending = null;
        emit();
        backoff();
        return;
      } finally {
        state.sending = null;
      }
      state.offline = false;
      if ([200, 201, 202].includes(response.status)) {
        const data = await response.json().catch(() => ({}));
        await uploaded(item, sentReasons, item.uploadedAs ? { id: item.uploadedAs } : data);
        failures = 0;
        state.loggedOut = false;
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
        // The server will never take this as it is: keep it, say why, let the user decide.
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
  if (started) return drain();
  started = true;
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
  return drain();
}
