// The capture page: the current event, the live camera (or the phone's camera app), the
// reason prompt after a snap, the upload queue with its counter, and the latest cards.
// Signed out (the offline shell) it still snaps: captures wait here for the next sign-in.

import { api } from './api.js';
import { liveCards } from './cardlist.js';
import { el } from './dom.js';
import { downscale, encodeFrame, thumbnail } from './image.js';
import { reasonPrompt } from './prompt.js';
import * as queue from './queue.js';
import * as uploader from './uploader.js';
import { cameraAvailable, viewfinder } from './viewfinder.js';
import { waitingList } from './waiting.js';
import { isoDay } from './when.js';

const EVENT_KEY = 'cardscan.event';
const EVENTS_KEY = 'cardscan.events'; // the events list, for the signed-out shell

const root = document.getElementById('capture');
const shell = root.dataset.shell === 'true';
const me = document.querySelector('meta[name="cardscan-user"]')?.content || null;
const eventSelect = document.getElementById('event');
const newEventToggle = document.getElementById('new-event-toggle');
const newEventForm = document.getElementById('new-event');
const snap = document.getElementById('snap');
const gallery = document.getElementById('gallery');
const counter = document.getElementById('queue-count');
const tally = document.getElementById('tally');
const notice = document.getElementById('queue-notice');
const eventLink = document.getElementById('event-link');

const taken = new Map(); // this visit's captures: uuid -> card id once uploaded
const read = new Set(); // card ids of this visit read (or failed)
let lastUuid = null;
let hadWaiting = false; // once something waited here, "all uploaded" says it went

function showNotice(text, ...extra) {
  notice.replaceChildren(text, ...extra);
  notice.hidden = !text;
}

// --- the current event -------------------------------------------------------------------------

if (shell) {
  // Signed out: the events this phone saw last time, so captures still go to the right one.
  for (const e of JSON.parse(localStorage.getItem(EVENTS_KEY) || '[]')) {
    eventSelect.append(el('option', { value: e.id, text: e.name }));
  }
} else {
  const seen = [...eventSelect.options].filter((o) => o.value).map((o) => ({ id: o.value, name: o.textContent }));
  localStorage.setItem(EVENTS_KEY, JSON.stringify(seen));
}

const recent = shell
  ? null
  : liveCards(document.getElementById('recent'), {
      eventId: eventSelect.value,
      limit: 5,
      onUpdate: (cards) => {
        for (const c of cards) if (c.status === 'done' || c.status === 'failed') read.add(c.id);
        showTally();
      },
      onOpen: (card) => prompt.open({ cardId: card.id, thumbUrl: card.thumb, uploaded: true }),
    });

function setEvent(id) {
  eventSelect.value = id;
  localStorage.setItem(EVENT_KEY, id);
  localStorage.setItem(`${EVENT_KEY}.day`, isoDay(new Date()));
  if (eventLink) eventLink.href = id ? `/events/${id}` : '/events';
  recent?.setEvent(id);
}

// The event chosen on this phone today; on another day the server's pick: the event
// running today, else the latest.
const remembered = localStorage.getItem(`${EVENT_KEY}.day`) === isoDay(new Date()) ? localStorage.getItem(EVENT_KEY) : null;
setEvent(remembered !== null && [...eventSelect.options].some((o) => o.value === remembered) ? remembered : eventSelect.value);
eventSelect.addEventListener('change', () => setEvent(eventSelect.value));

newEventToggle.addEventListener('click', () => {
  const open = newEventForm.hidden;
  newEventForm.hidden = !open;
  newEventToggle.setAttribute('aria-expanded', String(open));
  if (open) {
    // Two taps: a dated name is ready (type over it for a better one), then Create.
    const input = newEventForm.querySelector('input');
    if (!input.value) input.value = `Event ${isoDay(new Date())}`;
    input.focus();
    input.select();
  }
});

newEventForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = newEventForm.querySelector('input');
  try {
    const fields = Object.fromEntries(new FormData(newEventForm));
    const event = await api('/api/events', { method: 'POST', json: fields });
    eventSelect.insertBefore(el('option', { value: event.id, text: event.name }), eventSelect.options[1] || null);
    setEvent(String(event.id));
    input.value = '';
    newEventForm.hidden = true;
    newEventToggle.setAttribute('aria-expanded', 'false');
    showNotice('');
  } catch (error) {
    showNotice(navigator.onLine ? error.message : 'You are offline: new events need a connection.');
  }
});

// --- capturing ---------------------------------------------------------------------------------

async function enqueue(bytes, type) {
  const item = {
    uuid: queue.newUuid(),
    user: me, // signed out: no owner, the next sign-in uploads it
    event: eventSelect.value || null,
    reasons: [],
    front: bytes,
    back: null,
    type,
    thumb: await thumbnail(bytes, type),
    created: Date.now(),
  };
  await queue.put(item);
  taken.set(item.uuid, null);
  lastUuid = item.uuid;
  showTally();
  return item;
}

function thumbOf(item) {
  return item.thumb ? URL.createObjectURL(new Blob([item.thumb], { type: 'image/jpeg' })) : '';
}

async function fromFiles(files, { single }) {
  if (!files.length) return;
  if (prompt.isOpen) await prompt.close();
  counter.textContent = 'Saving photo…';
  let last = null;
  for (const file of files) {
    // one at a time: a phone cannot hold many decoded 12-megapixel photos at once
    const { bytes, type } = await downscale(file);
    last = await enqueue(bytes, type);
  }
  uploader.drain();
  if (single) prompt.open({ uuid: last.uuid, thumbUrl: thumbOf(last) });
}

snap.addEventListener('change', async () => {
  const files = [...snap.files];
  snap.value = '';
  await fromFiles(files, { single: true });
});

gallery.addEventListener('change', async () => {
  const files = [...gallery.files];
  gallery.value = '';
  await fromFiles(files, { single: files.length === 1 });
});

// --- the live camera ---------------------------------------------------------------------------

const camera = viewfinder(document.getElementById('viewfinder'), {
  onShot: async (canvas) => {
    const { bytes, type } = await encodeFrame(canvas);
    const item = await enqueue(bytes, type);
    camera.showLast(thumbOf(item));
    uploader.drain();
  },
  onLast: () => {
    const uuid = lastUuid;
    camera.pause();
    queue.get(uuid).then((item) => prompt.open({ uuid, cardId: taken.get(uuid), thumbUrl: item ? thumbOf(item) : '' }));
  },
  onClose: () => {
    recent?.refresh();
    document.getElementById('camera-open').focus({ preventScroll: true });
  },
});

cameraAvailable().then((yes) => {
  // The live camera when there is one; the phone's camera app stays one tap away.
  document.getElementById('camera-open').hidden = !yes;
  document.getElementById('snap-label').hidden = yes;
  document.getElementById('snap-alt').hidden = !yes;
});

document.getElementById('camera-open').addEventListener('click', async () => {
  try {
    await camera.open();
  } catch (error) {
    // Refused, missing or busy: the file input serves as before.
    showNotice(`The live camera could not start (${error.message}): use the phone's camera app instead.`);
    document.getElementById('snap-label').hidden = false;
    document.getElementById('snap-alt').hidden = true;
    document.getElementById('camera-open').hidden = true;
  }
});

// --- the reason prompt -------------------------------------------------------------------------

// The user's own reason chips, kept for the signed-out shell (which only knows the defaults).
const CHIPS_KEY = 'cardscan.chips';
if (!shell) localStorage.setItem(CHIPS_KEY, root.dataset.chips || '[]');
const chips = JSON.parse((shell && localStorage.getItem(CHIPS_KEY)) || root.dataset.chips || '[]');

const prompt = reasonPrompt(document.getElementById('reasons'), chips, {
  onClose: () => {
    uploader.drain();
    recent?.refresh();
    if (camera.isOpen) camera.resume();
    else document.getElementById(document.getElementById('camera-open').hidden ? 'snap-label' : 'camera-open')?.focus({ preventScroll: true });
  },
});

const waiting = waitingList(document.getElementById('waiting'), {
  onOpen: (item) => prompt.open({ uuid: item.uuid, thumbUrl: thumbOf(item) }),
});

// --- the counters ------------------------------------------------------------------------------

function showTally() {
  if (!taken.size) return;
  const ids = [...taken.values()].filter(Boolean);
  const done = ids.filter((id) => read.has(id)).length;
  const text = `${taken.size} taken · ${ids.length} uploaded · ${done} read`;
  tally.hidden = false;
  tally.textContent = `This visit: ${text}`;
  const vf = document.getElementById('vf-count');
  if (vf) vf.textContent = text;
}

window.addEventListener('queue-change', (e) => {
  const s = e.detail;
  const blocked = s.offline || s.loggedOut || shell || !navigator.onLine;
  if (s.waiting || s.rejected) hadWaiting = true;
  if (s.waiting === 0) counter.textContent = taken.size || hadWaiting ? 'All captures uploaded' : 'Nothing waiting';
  else if (blocked) counter.textContent = `${s.waiting} waiting — ${s.waiting === 1 ? 'it uploads' : 'they upload'} when you're online and signed in`;
  else counter.textContent = `${s.waiting} waiting${s.sending ? ' — uploading…' : ''}`;
  counter.dataset.waiting = s.waiting;
  if (blocked && s.waiting) prompt.offline(s.loggedOut || shell ? 'Saved on this phone: it uploads when you sign in.' : 'Saved on this phone: it uploads when you are online.');
  if (s.loggedOut || (shell && s.waiting)) {
    showNotice('Log in to upload: your captures are kept on this phone. ', el('a', { href: '/login?next=/capture', text: 'Log in' }));
  } else if (s.rejected) {
    showNotice(
      `${s.rejected} photo${s.rejected === 1 ? ' was' : 's were'} refused by the server. `,
      el('button', { type: 'button', class: 'small', text: 'Discard', onclick: () => uploader.discardRejected() }),
    );
  } else if (!notice.textContent.startsWith('The live camera') && !notice.textContent.startsWith('You are offline')) {
    showNotice('');
  }
});

window.addEventListener('card-uploaded', (e) => {
  if (taken.has(e.detail.uuid)) taken.set(e.detail.uuid, e.detail.id);
  showTally();
  recent?.refresh();
  waiting.refresh();
});

uploader.start();
