// Triage: one card at a time, least certain first; the photo beside the fields; keyboard.

import { api, el } from './common.js';

const root = document.getElementById('triage');
const eventId = root.dataset.event;
const cardBox = document.getElementById('triage-card');
const empty = document.getElementById('triage-empty');
const progress = document.getElementById('progress');
const progressLabel = document.getElementById('progress-label');
const form = document.getElementById('fields');
const photo = document.getElementById('photo');
const frame = document.getElementById('photo-frame');
const wordLayer = document.getElementById('word-layer');
const wordList = document.getElementById('word-list');
const statusLine = document.getElementById('card-status');
const dupBox = document.getElementById('duplicate');
const reasonList = document.getElementById('reason-list');
const newReason = document.getElementById('new-reason');
const errorBox = document.getElementById('triage-error');
const help = document.getElementById('help');
const helpToggle = document.getElementById('help-toggle');
const showBack = document.getElementById('show-back');
const planSelect = document.getElementById('plan');

const FIELDS = ['name', 'title', 'company', 'emails', 'phones', 'websites', 'address'];
let order = [];
let total = 0;
let index = 0;
let card = null;
let duplicate = null;
let original = {};
let targetField = document.getElementById('f-name');
let zoom = 1;

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
  const left = order.length;
  const done = total - left;
  progress.max = Math.max(total, 1);
  progress.value = done;
  progressLabel.textContent = total ? `${left} of ${total} left` : 'No cards yet';
}

function setZoom(value) {
  zoom = Math.min(4, Math.max(1, value));
  frame.style.width = `${zoom * 100}%`;
}

function lineWords(line) {
  return line.words && line.words.length ? line.words : [line];
}

function renderWords(ocr) {
  // Boxes go on the photo only when OCR read the photo as it is shown; when the pipeline
  // found, flattened or turned the card first, its boxes are in that image's coordinates,
  // so the words are offered as a list instead (tapping either puts the text in the field).
  wordLayer.replaceChildren();
  wordList.replaceChildren();
  if (!ocr || !ocr.lines.length) {
    wordList.append(el('li', { class: 'muted', text: 'No words were read on this photo.' }));
    return;
  }
  const overlay = () => {
    const same = photo.naturalWidth === ocr.width && photo.naturalHeight === ocr.height;
    wordLayer.hidden = !same;
    if (!same) return;
    for (const line of ocr.lines) {
      for (const word of lineWords(line)) {
        const [x, y, w, h] = word.box;
        const box = el('button', {
          type: 'button',
          class: 'word',
          title: word.text,
          'aria-label': `Use “${word.text}”`,
          tabindex: '-1',
        });
        box.style.left = `${(100 * x) / ocr.width}%`;
        box.style.top = `${(100 * y) / ocr.height}%`;
        box.style.width = `${(100 * w) / ocr.width}%`;
        box.style.height = `${(100 * h) / ocr.height}%`;
        box.dataset.text = word.text;
        wordLayer.append(box);
      }
    }
  };
  if (photo.complete && photo.naturalWidth) overlay();
  else photo.addEventListener('load', overlay, { once: true });
  for (const line of ocr.lines) {
    wordList.append(
      el(
        'li',
        {},
        lineWords(line).map((word) => el('button', { type: 'button', class: 'word-chip', 'data-text': word.text, text: word.text })),
        lineWords(line).length > 1
          ? el('button', { type: 'button', class: 'word-chip line', 'data-text': line.text, 'aria-label': `Use the whole line “${line.text}”`, text: '⤶ line' })
          : null,
      ),
    );
  }
}

function useWord(e) {
  const box = e.target.closest('button[data-text]');
  if (!box || !targetField) return;
  const text = box.dataset.text;
  const field = targetField;
  const all = field.selectionStart === 0 && field.selectionEnd === field.value.length;
  if (!field.value || all) field.value = text;
  else field.value += (field.tagName === 'TEXTAREA' && field.dataset.list === 'true' ? '\n' : ' ') + text;
  field.focus();
  field.dispatchEvent(new Event('input'));
}

for (const layer of [wordLayer, wordList]) {
  layer.addEventListener('mousedown', (e) => e.preventDefault()); // keep the field focused
  layer.addEventListener('click', useWord);
}

for (const name of FIELDS) {
  const input = document.getElementById(`f-${name}`);
  input.addEventListener('focus', () => {
    targetField = input;
    for (const f of form.querySelectorAll('.field')) f.classList.toggle('target', f.dataset.field === name);
  });
}

function renderReasons(reasons) {
  reasonList.replaceChildren(
    ...reasons.map((r) =>
      el(
        'li',
        {},
        el('span', { text: r.text + (r.due ? ` (by ${r.due})` : '') }),
        el('button', {
          type: 'button',
          class: 'small',
          'aria-label': `Remove reason ${r.text}`,
          text: 'Remove',
          onclick: async () => {
            await api(`/api/reasons/${r.id}`, { method: 'DELETE' });
            await load(index);
          },
        }),
      ),
    ),
  );
  if (!reasons.length) reasonList.append(el('li', { class: 'muted', text: 'No reasons yet.' }));
}

async function load(i) {
  showError('');
  index = Math.max(0, Math.min(i, order.length));
  if (index >= order.length) {
    cardBox.hidden = true;
    empty.hidden = false;
    updateProgress();
    return;
  }
  empty.hidden = true;
  cardBox.hidden = false;
  card = await api(`/api/cards/${order[index].id}?ocr=1`);
  photo.src = card.photo;
  showBack.hidden = !card.back;
  showBack.textContent = 'Back side';
  renderWords(card.ocr);
  const record = card.contact_record;
  const fields = card.contact || {};
  const low = record ? record.low : FIELDS;
  original = {};
  for (const name of FIELDS) {
    const input = document.getElementById(`f-${name}`);
    input.value = fieldValue(name, fields);
    original[name] = input.value;
    const isLow = low.includes(name) && Boolean(record);
    input.closest('.field').classList.toggle('low', isLow);
    input.closest('.field').querySelector('.low-mark').hidden = !isLow;
    input.setAttribute('aria-invalid', isLow ? 'true' : 'false');
    input.disabled = !record;
  }
  const certainty = Math.round(100 * order[index].certainty);
  statusLine.textContent =
    card.status === 'failed'
      ? `This photo could not be read: ${card.error || 'unknown error'}. Press Done to set it aside.`
      : `Certainty ${certainty}% · card ${card.id}`;
  renderReasons(record ? record.reasons : []);
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
  setZoom(1);
  const firstLow = FIELDS.find((n) => low.includes(n));
  targetField = document.getElementById(`f-${firstLow || 'name'}`);
  updateProgress();
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

async function done() {
  if (!card) return;
  try {
    const record = card.contact_record;
    const changed = changes();
    if (record && Object.keys(changed).length) {
      await api(`/api/contacts/${record.id}`, { method: 'PATCH', json: changed });
    }
    const body = { triaged: true };
    if (planSelect) body.plan = planSelect.value;
    await api(`/api/cards/${card.id}/triaged`, { method: 'POST', json: body });
    order.splice(index, 1);
    await load(index);
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
    const body = { triaged: true };
    if (planSelect) body.plan = planSelect.value;
    await api(`/api/cards/${card.id}/triaged`, { method: 'POST', json: body });
    order.splice(index, 1);
    await load(index);
  } catch (error) {
    showError(error.message);
  }
}

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
document.getElementById('zoom-in').addEventListener('click', () => setZoom(zoom + 0.5));
document.getElementById('zoom-out').addEventListener('click', () => setZoom(zoom - 0.5));
helpToggle.addEventListener('click', toggleHelp);
showBack.addEventListener('click', () => {
  const front = showBack.textContent === 'Back side';
  photo.src = front ? card.back : card.photo;
  if (front) wordLayer.hidden = true;
  else renderWords(card.ocr);
  showBack.textContent = front ? 'Front side' : 'Back side';
});
document.getElementById('add-reason').addEventListener('click', async () => {
  const text = newReason.value.trim();
  if (!text || !card || !card.contact_record) return;
  try {
    await api(`/api/contacts/${card.contact_record.id}/reasons`, { method: 'POST', json: { text } });
    newReason.value = '';
    await load(index);
  } catch (error) {
    showError(error.message);
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
    '+': () => setZoom(zoom + 0.5),
    '-': () => setZoom(zoom - 0.5),
  };
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
    await load(0);
  } catch (error) {
    progressLabel.textContent = error.message;
  }
}

guarded(start);
