// Triage: one card at a time, least certain first; the photo beside the fields; keyboard.

import { api } from './api.js';
import { el } from './dom.js';
import { keepInView } from './inview.js';
import { dueFor, isoDay } from './when.js';
import { wordBoard } from './wordboard.js';

const root = document.getElementById('triage');
const eventId = root.dataset.event;
const cardBox = document.getElementById('triage-card');
const end = document.getElementById('triage-end');
const progress = document.getElementById('progress');
const progressLabel = document.getElementById('progress-label');
const form = document.getElementById('fields');
const photo = document.getElementById('photo');
const viewToggle = document.getElementById('view-toggle');
const lineToggle = document.getElementById('line-mode');
const targetChips = document.getElementById('target-chips');
const preview = document.getElementById('target-preview');
const statusLine = document.getElementById('card-status');
const dupBox = document.getElementById('duplicate');
const reasonList = document.getElementById('reason-list');
const newReason = document.getElementById('new-reason');
const newReasonWhen = document.getElementById('new-reason-when');
const newReasonDate = document.getElementById('new-reason-date');
const errorBox = document.getElementById('triage-error');
const help = document.getElementById('help');
const helpToggle = document.getElementById('help-toggle');
const showBack = document.getElementById('show-back');
const planSelect = document.getElementById('plan');
const letterKeys = document.getElementById('letter-keys');
const LETTER_KEYS = 'cardscan.triage.letterKeys'; // "off" when turned off on this device

const FIELDS = ['name', 'title', 'company', 'emails', 'phones', 'websites', 'address'];
let order = []; // one item per card read: {id (the photo's card), index (which card of it), ...}
let total = 0;
let waiting = 0; // photos still being read: left, but not to check yet
let index = 0;
let card = null;
let duplicate = null;
let original = {};
let targetField = document.getElementById('f-name');
const finished = new Set(); // cards read done here ("id:index"), so a refresh never brings them back

function fieldValue(name, fields) {
  const value = fields[name];
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v ? v.number : v)).join('\n');
  return value || '';
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = !message;
}

function updateProgress() {
  const left = order.length + waiting;
  progress.max = Math.max(total, 1);
  progress.value = total - left;
  const reading = waiting ? ` (${waiting} still being read)` : '';
  progressLabel.textContent = total ? `${left} of ${total} left${reading}` : 'No cards yet';
}

function setTarget(input) {
  targetField = input;
  const name = input.name;
  for (const f of form.querySelectorAll('.field')) f.classList.toggle('target', f.dataset.field === name);
  for (const chip of targetChips.querySelectorAll('[data-target]')) {
    chip.setAttribute('aria-pressed', String(chip.dataset.target === name));
  }
  // The chosen chip in sight in the sideways row (without scrolling the page), clear of
  // the faded edges.
  const chip = targetChips.querySelector(`[data-target="${name}"]`).getBoundingClientRect();
  const row = targetChips.getBoundingClientRect();
  const fade = parseFloat(getComputedStyle(targetChips).getPropertyValue('--fade')); // px, app.css
  if (chip.left < row.left + fade) targetChips.scrollLeft += chip.left - row.left - fade;
  else if (chip.right > row.right - fade) targetChips.scrollLeft += chip.right - row.right + fade;
  showPreview();
}

function showPreview() {
  const label = targetChips.querySelector(`[data-target="${targetField.name}"]`).textContent;
  const value = targetField.value.trim().replace(/\n/g, ' · ');
  preview.replaceChildren(el('span', { class: 'muted', text: `${label}: ` }), value || el('span', { class: 'muted', text: '(empty)' }));
}

function putWord(text, asLine) {
  // A word goes after what the field holds, with a space; a whole line into a list field
  // (e-mails, phones, websites) starts a new item. A field whose text is all selected is
  // replaced.
  const field = targetField;
  if (!field || field.disabled) return;
  const selectedAll =
    document.activeElement === field && field.value && field.selectionStart === 0 && field.selectionEnd === field.value.length;
  if (!field.value.trim() || selectedAll) field.value = text;
  else if (asLine && field.dataset.list === 'true') field.value = `${field.value.replace(/\s+$/, '')}\n${text}`;
  else if (/\n$/.test(field.value)) field.value += text;
  else field.value = `${field.value.replace(/ +$/, '')} ${text}`;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

const board = wordBoard({
  scroll: document.getElementById('photo-scroll'),
  frame: document.getElementById('photo-frame'),
  img: photo,
  layer: document.getElementById('word-layer'),
  shapes: document.getElementById('word-shapes'),
  list: document.getElementById('word-list'),
  details: document.getElementById('words'),
  onWord: putWord,
});

targetChips.addEventListener('mousedown', (e) => e.preventDefault());
// Scrolled sideways, the row fades at its left edge too: a chip cut off there reads as more
// chips that way, not as stray letters.
const fadeLeft = () => targetChips.classList.toggle('scrolled', targetChips.scrollLeft > 1);
targetChips.addEventListener('scroll', fadeLeft, { passive: true });
targetChips.addEventListener('click', (e) => {
  const chip = e.target.closest('[data-target]');
  if (chip) setTarget(document.getElementById(`f-${chip.dataset.target}`));
});

function setLineMode(on) {
  board.setLineMode(on);
  lineToggle.setAttribute('aria-pressed', String(on));
}

function fitRows(input) {
  // A list field shows every item it holds (three phones take three rows), at least two.
  if (input.tagName === 'TEXTAREA') input.rows = Math.min(6, Math.max(2, input.value.split('\n').length));
}

for (const name of FIELDS) {
  const input = document.getElementById(`f-${name}`);
  input.addEventListener('focus', () => setTarget(input));
  input.addEventListener('input', () => {
    fitRows(input);
    if (input === targetField) showPreview();
  });
}

const GENERIC_REASON = 'get in touch'; // a "when" without a reason, as at capture

function renderReasons(reasons) {
  // Each reason with its own date ("by", optional: the first follow-up moves to it).
  reasonList.replaceChildren(
    ...reasons.map((r) =>
      el(
        'li',
        {},
        el('span', { class: 'reason-text', text: r.text }),
        el(
          'span',
          { class: 'reason-due' },
          el(
            'label',
            { class: 'inline muted', for: `reason-${r.id}-due` },
            'by',
            el('span', { class: 'visually-hidden', text: ` (date for “${r.text}”, optional)` }),
          ),
          el('input', {
            type: 'date',
            id: `reason-${r.id}-due`,
            value: r.due || '',
            onchange: (e) => guarded(() => changeReason(r, { due: e.target.value || null })),
          }),
        ),
        el('button', {
          type: 'button',
          class: 'small',
          'aria-label': `Remove reason ${r.text}`,
          text: 'Remove',
          onclick: () => guarded(() => changeReason(r, null)),
        }),
      ),
    ),
  );
  if (!reasons.length) reasonList.append(el('li', { class: 'muted', text: 'No reasons yet.' }));
}

async function refreshReasons() {
  // Only the reasons: the fields keep what was typed but not saved yet.
  const record = await api(`/api/contacts/${card.contact_record.id}`);
  card.contact_record.reasons = record.reasons;
  renderReasons(record.reasons);
}

async function changeReason(reason, changes) {
  if (changes) await api(`/api/reasons/${reason.id}`, { method: 'PATCH', json: changes });
  else await api(`/api/reasons/${reason.id}`, { method: 'DELETE' });
  await refreshReasons();
}

async function addReason() {
  if (!card || !card.contact_record) return;
  const due = dueFor(newReasonWhen.value, newReasonDate.value);
  const text = newReason.value.trim() || (due ? GENERIC_REASON : '');
  if (!text) return;
  await api(`/api/contacts/${card.contact_record.id}/reasons`, { method: 'POST', json: { text, due } });
  newReason.value = '';
  newReasonWhen.value = '';
  newReasonDate.value = '';
  newReasonDate.hidden = true;
  await refreshReasons();
}

async function load(i) {
  showError('');
  // Past either end stays on the first or last card; the summary only when none is left.
  index = Math.max(0, Math.min(i, order.length - 1));
  if (!order.length) {
    card = null;
    cardBox.hidden = true;
    updateProgress();
    await showSummary();
    return;
  }
  end.hidden = true;
  cardBox.hidden = false;
  const item = order[index];
  card = await api(`/api/cards/${item.id}?ocr=1&index=${item.index}`);
  board.load({
    ocr: card.ocr,
    outline: card.outline,
    cardImage: card.card_image,
    photo: card.photo,
    back: card.back,
    thumb: card.thumb,
  });
  showBack.hidden = !card.back;
  showBack.textContent = 'Back side';
  viewToggle.hidden = !card.card_image;
  viewToggle.textContent = 'Photo';
  const record = card.contact_record;
  const fields = card.contact || {};
  // The fields to check, each with why where the reading knows ("read from a logo").
  const marks = new Map((card.check || []).map((c) => [c.field, c.reason]));
  original = {};
  for (const name of FIELDS) {
    const input = document.getElementById(`f-${name}`);
    input.value = fieldValue(name, fields);
    original[name] = input.value;
    fitRows(input);
    const marked = marks.has(name) && Boolean(record);
    const mark = document.getElementById(`mark-${name}`);
    input.closest('.field').classList.toggle('low', marked);
    mark.hidden = !marked;
    mark.querySelector('.mark-why').textContent = marked && marks.get(name) ? `: ${marks.get(name)}` : '';
    input.setAttribute('aria-invalid', marked ? 'true' : 'false');
    if (marked) input.setAttribute('aria-describedby', mark.id);
    else input.removeAttribute('aria-describedby');
    input.disabled = !record;
  }
  const where =
    card.cards_in_photo > 1 ? `photo ${card.id}, card ${card.index + 1} of ${card.cards_in_photo} in this photo` : `card ${card.id}`;
  const toCheck = record ? marks.size : 0;
  const sure = toCheck ? `${toCheck} field${toCheck === 1 ? '' : 's'} to check` : 'Read with confidence: nothing marked';
  statusLine.textContent =
    card.status === 'failed'
      ? `This photo could not be read: ${card.error || 'unknown error'}. Press Done to set it aside.`
      : `${sure} · ${where}`;
  renderReasons(record ? record.reasons : []);
  showPlan(record);
  duplicate = null;
  dupBox.hidden = true;
  if (record) {
    const dups = await api(`/api/contacts/${record.id}/duplicates`);
    if (dups.candidates.length) {
      duplicate = dups.candidates[0];
      document.getElementById('dup-name').textContent = duplicate.contact.fields.name || '(no name)';
      document.getElementById('dup-where').textContent = `(${Math.round(100 * duplicate.score)}% alike)`;
      dupBox.hidden = false;
    }
  }
  const firstLow = FIELDS.find((n) => marks.has(n));
  setTarget(document.getElementById(`f-${firstLow || 'name'}`));
  updateProgress();
  prefetch(order[index + 1]);
}

function showPlan(record) {
  // The contact's own plan when one was chosen (on its page, or in an earlier triage), so
  // Done keeps it; else the default, which Done confirms.
  if (!planSelect) return;
  const own = record && record.plan_id ? String(record.plan_id) : '';
  const known = [...planSelect.options].some((option) => option.value === own);
  planSelect.value = known ? own : planSelect.dataset.default;
  planSelect.dataset.shown = planSelect.value;
  document.getElementById('plan-hint').textContent = known
    ? 'The plan chosen for this contact.'
    : 'Your default plan, used until you choose: Done confirms it.';
}

// --- the end of the queue ------------------------------------------------------------------------

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

async function showSummary() {
  // What the triage did, from the server (so a reload tells the same), and where to go next.
  const s = await api(`/api/triage/summary?event=${encodeURIComponent(eventId)}`);
  const next = s.next_due ? ` (the first on ${new Date(`${s.next_due}T12:00`).toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })})` : '';
  document.getElementById('summary').replaceChildren(
    el('li', {}, el('strong', { text: plural(s.checked, 'card') }), ' checked'),
    el('li', {}, el('strong', { text: plural(s.fixes, 'field') }), ' fixed by hand'),
    el('li', {}, el('strong', { text: plural(s.merges, 'merge') }), ' with people met before'),
    el('li', {}, el('strong', { text: plural(s.followups, 'follow-up') }), ` planned${next}`),
  );
  const waitingNote = document.getElementById('end-waiting');
  waitingNote.hidden = !s.waiting;
  waitingNote.textContent = s.waiting ? `${plural(s.waiting, 'photo is', 'photos are')} still being read: they appear here when ready.` : '';
  document.getElementById('end-title').hidden = Boolean(s.waiting);
  end.hidden = false;
  if (!s.waiting) end.focus({ preventScroll: true });
}

// Cards still being read join the queue when they are ready (the page asks every few seconds).
let polling = null;
function watchWaiting() {
  clearTimeout(polling);
  if (!waiting) return;
  polling = setTimeout(() => guarded(refreshQueue), 4000);
}

async function refreshQueue() {
  const data = await api(`/api/triage?event=${encodeURIComponent(eventId)}`);
  const known = new Set(order.map((item) => `${item.id}:${item.index}`));
  const fresh = data.cards.filter((item) => !known.has(`${item.id}:${item.index}`) && !finished.has(`${item.id}:${item.index}`));
  total = data.total;
  waiting = data.waiting || 0;
  order.push(...fresh);
  if (fresh.length && !card) await load(0);
  else if (!order.length) await load(0);
  else updateProgress();
  watchWaiting();
}

function prefetch(next) {
  // Fetch the next card's image while this one is checked: on slow wifi it is there by Done.
  const url = next && (next.card_image || next.thumb);
  if (url) new Image().src = url;
}

// One action at a time, in order: a key pressed while a card loads or saves waits for it,
// so it never acts on the previous card.
let chain = Promise.resolve();
function guarded(action) {
  chain = chain.then(action).catch((error) => showError(error.message));
  return chain;
}

function changes() {
  const out = {};
  for (const name of FIELDS) {
    const input = document.getElementById(`f-${name}`);
    if (input.value === original[name]) continue;
    out[name] = input.dataset.list === 'true' ? input.value.split('\n').map((v) => v.trim()).filter(Boolean) : input.value;
  }
  return out;
}

async function markDone({ merged = false } = {}) {
  // Done for this card read (card `index` of its photo), then on to the next one. The plan
  // shown is confirmed; after a merge only one picked here, so the kept contact's own stays.
  const body = { triaged: true, index: order[index].index };
  if (planSelect && !(merged && planSelect.value === planSelect.dataset.shown)) body.plan = planSelect.value;
  await api(`/api/cards/${card.id}/triaged`, { method: 'POST', json: body });
  finished.add(`${order[index].id}:${order[index].index}`);
  order.splice(index, 1);
  await load(index < order.length ? index : 0); // after the last one, back to the first left
}

async function done() {
  if (!card) return;
  try {
    const record = card.contact_record;
    const changed = changes();
    if (record && Object.keys(changed).length) {
      await api(`/api/contacts/${record.id}`, { method: 'PATCH', json: changed });
    }
    await markDone();
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  } catch (error) {
    showError(error.message);
  }
}

async function merge() {
  if (!duplicate || !card || !card.contact_record) return;
  try {
    const changed = changes();
    if (Object.keys(changed).length) {
      await api(`/api/contacts/${card.contact_record.id}`, { method: 'PATCH', json: changed });
    }
    // Keep the older contact: it holds the earlier "met at"; both meetings stay.
    await api(`/api/contacts/${duplicate.contact.id}/merge`, {
      method: 'POST',
      json: { other: card.contact_record.id },
    });
    // Merged: this card is settled (its reasons and meeting now live on the kept contact).
    await markDone({ merged: true });
  } catch (error) {
    showError(error.message);
  }
}

// Single-character shortcuts can be turned off (WCAG 2.1.4): speech input types letters,
// and a stray "d" must not mark a card done. Arrows, Enter and Esc are no character keys.
function setLetterKeys(on) {
  letterKeys.checked = on;
  root.classList.toggle('letter-keys-off', !on);
  helpToggle.textContent = on ? 'Keys (?)' : 'Keys';
}
setLetterKeys(localStorage.getItem(LETTER_KEYS) !== 'off');
letterKeys.addEventListener('change', () => {
  localStorage.setItem(LETTER_KEYS, letterKeys.checked ? 'on' : 'off');
  setLetterKeys(letterKeys.checked);
});

function toggleHelp() {
  help.hidden = !help.hidden;
  helpToggle.setAttribute('aria-expanded', String(!help.hidden));
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  guarded(done);
});
document.getElementById('merge').addEventListener('click', () => guarded(merge));
document.getElementById('next').addEventListener('click', () => guarded(() => load(index + 1)));
document.getElementById('prev').addEventListener('click', () => guarded(() => load(index - 1)));
document.getElementById('zoom-in').addEventListener('click', () => board.zoomBy(0.5));
document.getElementById('zoom-out').addEventListener('click', () => board.zoomBy(-0.5));
helpToggle.addEventListener('click', toggleHelp);
lineToggle.addEventListener('click', () => setLineMode(!board.lineMode));

function toggleView() {
  if (!card || !card.card_image) return;
  const toPhoto = board.view === 'card';
  board.show(toPhoto ? 'photo' : 'card');
  viewToggle.textContent = toPhoto ? 'Card' : 'Photo';
  showBack.textContent = 'Back side';
}
viewToggle.addEventListener('click', toggleView);
showBack.addEventListener('click', () => {
  const toBack = board.view !== 'back';
  board.show(toBack ? 'back' : card.card_image ? 'card' : 'photo');
  showBack.textContent = toBack ? 'Front side' : 'Back side';
  viewToggle.textContent = 'Photo';
});
document.getElementById('add-reason').addEventListener('click', () => guarded(addReason));
newReasonWhen.addEventListener('change', () => {
  newReasonDate.hidden = newReasonWhen.value !== 'date';
  newReasonDate.min = isoDay(new Date()); // a follow-up date is today or later
  if (!newReasonDate.hidden) newReasonDate.focus();
});
// Enter in a date adds or saves that reason; it is not the form's Done.
newReasonDate.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    document.getElementById('add-reason').click();
  }
});
reasonList.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && e.target.matches('input')) {
    e.preventDefault();
    e.target.blur(); // its change event saves it
  }
});
newReason.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    document.getElementById('add-reason').click();
  }
});

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const typing = e.target.matches('input, textarea, select');
  if (typing) {
    if (e.key === 'Escape') e.target.blur();
    return; // Enter in a field submits the form (Done)
  }
  const next = () => guarded(() => load(index + 1));
  const previous = () => guarded(() => load(index - 1));
  const keys = {
    j: next,
    ArrowRight: next,
    ArrowDown: next,
    k: previous,
    ArrowLeft: previous,
    ArrowUp: previous,
    d: () => guarded(done),
    Enter: () => guarded(done),
    m: () => guarded(merge),
    e: () => targetField && targetField.focus(),
    '?': toggleHelp,
    '+': () => board.zoomBy(0.5),
    '-': () => board.zoomBy(-0.5),
    v: toggleView,
    l: () => setLineMode(!board.lineMode),
  };
  if (e.key.length === 1 && !letterKeys.checked) return; // letter keys turned off
  const action = keys[e.key];
  if (action && !(e.key === 'Enter' && e.target.matches('button, a'))) {
    e.preventDefault();
    action();
  }
});

async function start() {
  try {
    const data = await api(`/api/triage?event=${encodeURIComponent(eventId)}`);
    order = data.cards;
    total = data.total;
    waiting = data.waiting || 0;
    // A link from elsewhere (the follow-ups page) can ask for one card: ?card=ID&index=N.
    const wanted = new URLSearchParams(location.search);
    const start = order.findIndex(
      (item) => String(item.id) === wanted.get('card') && String(item.index) === (wanted.get('index') || '0'),
    );
    await load(Math.max(start, 0));
    watchWaiting();
  } catch (error) {
    progressLabel.textContent = error.message;
  }
}

// On a phone the field being edited stays above the action bar, the tab bar and the keyboard.
keepInView(form, () => [form.querySelector('.actions'), document.querySelector('nav.tabs')]);

guarded(start);
