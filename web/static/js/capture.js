// The capture page: current event, Snap, reasons right after, the upload queue and counter.

import { liveCards } from './cardlist.js';
import { api } from './api.js';
import { el } from './dom.js';
import { downscale } from './image.js';
import * as queue from './queue.js';
import * as uploader from './uploader.js';
import { dueFor, isoDay } from './when.js';
import { whenPreview } from './whenpreview.js';

const HOLD_MS = 45_000; // a fresh capture waits this long for its reasons before uploading
const EVENT_KEY = 'cardscan.event';
const GENERIC_REASON = 'get in touch';
const KINDS = { 'send deck': 'deck', deck: 'deck', intro: 'intro', meeting: 'meeting', hiring: 'hiring', partnership: 'partnership' };

const root = document.getElementById('capture');
const eventSelect = document.getElementById('event');
const newEventToggle = document.getElementById('new-event-toggle');
const newEventForm = document.getElementById('new-event');
const snap = document.getElementById('snap');
const gallery = document.getElementById('gallery');
const counter = document.getElementById('queue-count');
const notice = document.getElementById('queue-notice');
const reasonsForm = document.getElementById('reasons');
const chipsBox = document.getElementById('chips');
const reasonText = document.getElementById('reason-text');
const reasonDate = document.getElementById('reason-date');
const backInput = document.getElementById('back-side');
const backStatus = document.getElementById('back-status');
const eventLink = document.getElementById('event-link');
const ownWhen = whenPreview(reasonText, document.getElementById('reason-when'));
const recent = liveCards(document.getElementById('recent'), { eventId: eventSelect.value, limit: 5 });

let pending = null; // uuid of the capture whose reasons are being chosen

// --- the current event -------------------------------------------------------------------------

function setEvent(id) {
  eventSelect.value = id;
  localStorage.setItem(EVENT_KEY, id);
  localStorage.setItem(`${EVENT_KEY}.day`, isoDay(new Date()));
  eventLink.href = id ? `/events/${id}` : '/events';
  recent.setEvent(id);
}

// The event chosen on this phone today; on another day the server's pick: the event
// running today, else the latest.
const remembered = localStorage.getItem(`${EVENT_KEY}.day`) === isoDay(new Date()) ? localStorage.getItem(EVENT_KEY) : null;
if (remembered !== null && [...eventSelect.options].some((o) => o.value === remembered)) {
  setEvent(remembered);
} else {
  setEvent(eventSelect.value);
}
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

// --- capture -----------------------------------------------------------------------------------

function showNotice(text, ...extra) {
  notice.replaceChildren(text, ...extra);
  notice.hidden = !text;
}

async function releaseHolds() {
  for (const item of await queue.all()) {
    if (item.holdUntil) await queue.update(item.uuid, { holdUntil: 0 });
  }
}

async function enqueue(file, hold) {
  const { bytes, type } = await downscale(file);
  const item = {
    uuid: queue.newUuid(),
    user: document.querySelector('meta[name="cardscan-user"]')?.content || null,
    event: eventSelect.value || null,
    reasons: [],
    front: bytes,
    back: null,
    type,
    created: Date.now(),
    holdUntil: hold ? Date.now() + HOLD_MS : 0,
  };
  await queue.put(item);
  return item.uuid;
}

async function capture(files, { single }) {
  if (!files.length) return;
  await releaseHolds(); // a new card means the previous one's reasons are final
  hideReasons();
  counter.textContent = 'Saving photo…';
  let last = null;
  for (const file of files) {
    // one at a time: a phone cannot hold many decoded 12-megapixel photos at once
    last = await enqueue(file, single);
  }
  uploader.drain();
  if (single) openReasons(last);
}

snap.addEventListener('change', async () => {
  const files = [...snap.files];
  snap.value = '';
  await capture(files, { single: true });
});

gallery.addEventListener('change', async () => {
  const files = [...gallery.files];
  gallery.value = '';
  await capture(files, { single: files.length === 1 });
});

// --- reasons -----------------------------------------------------------------------------------

const chips = JSON.parse(root.dataset.chips || '[]');
for (const chip of chips) {
  chipsBox.append(el('button', { type: 'button', class: 'chip', 'aria-pressed': 'false', text: chip }));
}
let pressedOrder = [];
chipsBox.addEventListener('click', (e) => {
  const button = e.target.closest('button.chip');
  if (!button) return;
  const on = button.getAttribute('aria-pressed') !== 'true';
  button.setAttribute('aria-pressed', String(on));
  pressedOrder = pressedOrder.filter((b) => b !== button);
  if (on) pressedOrder.push(button);
  while (pressedOrder.length + (reasonText.value.trim() ? 1 : 0) > 2 && pressedOrder.length) {
    pressedOrder.shift().setAttribute('aria-pressed', 'false'); // one or two reasons
  }
});

function openReasons(uuid) {
  pending = uuid;
  pressedOrder = [];
  for (const b of chipsBox.querySelectorAll('.chip')) b.setAttribute('aria-pressed', 'false');
  reasonsForm.reset();
  ownWhen.clear();
  reasonDate.min = isoDay(new Date()); // a follow-up date is today or later
  backStatus.textContent = '';
  reasonsForm.hidden = false;
  reasonsForm.querySelector('.chip, input')?.focus({ preventScroll: true });
  reasonsForm.scrollIntoView({ block: 'nearest' });
}

function hideReasons() {
  reasonsForm.hidden = true;
  pending = null;
}

function dueDate() {
  return dueFor(reasonsForm.querySelector('input[name="when"]:checked')?.value, reasonDate.value);
}

// Each reason carries the chosen "when" in its own `due` field (YYYY-MM-DD or null): the
// server plans the first follow-up on that day. Queued captures keep this same shape.
function chosenReasons() {
  const due = dueDate();
  const reasons = pressedOrder.map((b) => ({ text: b.textContent, kind: KINDS[b.textContent.toLowerCase()] || 'other', due }));
  const own = reasonText.value.trim();
  // A date in the reason's own words (shown back as it was typed) is its date; else When.
  if (own) reasons.push({ text: own, kind: 'other', due: ownWhen.date() || due });
  // A "when" without a reason still means "follow up then": keep it rather than drop it.
  if (!reasons.length && due) reasons.push({ text: GENERIC_REASON, kind: 'other', due });
  return reasons.slice(0, 2);
}

async function finishReasons(reasons) {
  const uuid = pending;
  hideReasons();
  if (!uuid) return;
  const changes = { holdUntil: 0 };
  if (reasons) changes.reasons = reasons;
  const item = await queue.update(uuid, changes);
  if (!item && reasons && reasons.length) {
    showNotice('That card was already uploaded: add its reasons during triage.');
  }
  uploader.drain();
  snap.labels[0]?.focus();
}

reasonDate.addEventListener('input', () => {
  reasonsForm.querySelector('input[name="when"][value="date"]').checked = true;
});
reasonsForm.addEventListener('submit', (e) => {
  e.preventDefault();
  finishReasons(chosenReasons());
});
document.getElementById('reasons-skip').addEventListener('click', () => finishReasons(null));

backInput.addEventListener('change', async () => {
  const file = backInput.files[0];
  backInput.value = '';
  if (!file || !pending) return;
  backStatus.textContent = 'Saving back side…';
  const { bytes } = await downscale(file);
  const item = await queue.update(pending, { back: bytes });
  backStatus.textContent = item ? 'Back side added.' : 'Too late: the card was already uploaded.';
});

document.addEventListener('visibilitychange', async () => {
  if (document.visibilityState === 'hidden') {
    await releaseHolds();
    uploader.drain();
  }
});

// --- the counter -------------------------------------------------------------------------------

window.addEventListener('queue-change', (e) => {
  const s = e.detail;
  if (s.waiting === 0) counter.textContent = 'All captures uploaded';
  else counter.textContent = `${s.waiting} waiting${s.offline ? ' (offline)' : ''}`;
  counter.dataset.waiting = s.waiting;
  if (s.loggedOut) {
    showNotice('Log in to upload: your captures are kept on this phone. ', el('a', { href: '/login?next=/capture', text: 'Log in' }));
  } else if (s.rejected) {
    showNotice(
      `${s.rejected} photo${s.rejected === 1 ? ' was' : 's were'} refused by the server. `,
      el('button', { type: 'button', class: 'small', text: 'Discard', onclick: () => uploader.discardRejected() }),
    );
  } else if (!notice.textContent.startsWith('That card') && !notice.textContent.startsWith('You are offline')) {
    showNotice('');
  }
});
window.addEventListener('card-uploaded', () => recent.refresh());

// After a reload no reasons panel is open: nothing should wait for one.
releaseHolds().finally(() => uploader.start());
