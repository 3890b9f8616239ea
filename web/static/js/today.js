// Follow-ups in one tap: Done / Snooze / Skip without leaving the page, an Undo that stays
// a few seconds, and "Sent? Mark done" after a drafted e-mail was opened.
import { api } from './api.js';
import { el } from './dom.js';

const UNDO_SECONDS = 8;

function undoBar() {
  let bar = document.getElementById('undo-bar');
  if (!bar) {
    bar = el('div', { id: 'undo-bar', class: 'undo-bar', role: 'status', 'aria-live': 'polite', hidden: true });
    document.body.append(bar);
  }
  return bar;
}

const bar = undoBar();
let timer = null;
let pending = null; // the row hidden by the last act, until its Undo time is over

function updateCounts() {
  let due = 0;
  for (const group of document.querySelectorAll('.today-group')) {
    const shown = group.querySelectorAll('li.touch:not([hidden])').length;
    const count = group.querySelector('h2 .count');
    if (count) count.textContent = String(shown);
    group.hidden = shown === 0;
    if (group.classList.contains('overdue') || group.classList.contains('today')) due += shown;
  }
  const dueCount = document.getElementById('due-count');
  if (dueCount) dueCount.textContent = String(due);
}

function settle() {
  // The previous act's row goes for good once another act comes or its time is over.
  if (pending) pending.row.remove();
  pending = null;
}

function say(message, seconds = 4) {
  clearTimeout(timer);
  bar.replaceChildren(el('span', { class: 'undo-text', text: message }));
  bar.hidden = false;
  timer = setTimeout(() => { bar.hidden = true; }, seconds * 1000);
}

async function undo(act) {
  clearTimeout(timer);
  try {
    await api(act.undo, { method: 'POST' });
  } catch (error) {
    say(`Could not undo: ${error.message}`, 6);
    return;
  }
  if (pending && pending.act.id === act.id) {
    pending.row.hidden = false;
    pending.row.querySelector('summary')?.focus();
    pending = null;
    updateCounts();
  }
  say('Undone.', 3);
}

function offerUndo(act, row) {
  clearTimeout(timer);
  settle();
  pending = { act, row };
  const button = el('button', { type: 'button', class: 'small', onclick: () => undo(act) }, 'Undo');
  bar.replaceChildren(el('span', { class: 'undo-text', text: `${act.message} — ${act.who}` }), button);
  bar.hidden = false;
  timer = setTimeout(() => {
    settle();
    bar.hidden = true;
  }, UNDO_SECONDS * 1000);
}

function nextRow(row) {
  const rows = [...document.querySelectorAll('li.touch:not([hidden])')];
  const index = rows.indexOf(row);
  return rows[index + 1] || rows[index - 1] || null;
}

async function act(form) {
  const row = form.closest('li.touch');
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const data = await api(form.action, { method: 'POST' });
    const focusNext = row.contains(document.activeElement);
    const after = nextRow(row);
    row.hidden = true;
    row.querySelector('.sent-prompt')?.remove();
    row.querySelector('details')?.removeAttribute('open');
    updateCounts();
    if (focusNext) after?.querySelector('summary')?.focus();
    offerUndo(data.act, row);
  } catch (error) {
    say(error.message, 6);
  } finally {
    button.disabled = false;
  }
}

function askIfSent(row) {
  if (row.querySelector('.sent-prompt')) return;
  const done = row.querySelector('form.touch-act[data-action="done"]');
  const prompt = el(
    'p',
    { class: 'sent-prompt' },
    el('span', { text: 'Sent?' }),
    el('button', { type: 'button', class: 'small primary', onclick: () => act(done) }, 'Mark done'),
    el('button', { type: 'button', class: 'small', onclick: () => prompt.remove() }, 'Not yet'),
  );
  row.querySelector('details').after(prompt);
}

document.addEventListener('submit', (event) => {
  const form = event.target.closest('form.touch-act');
  if (!form) return;
  event.preventDefault();
  act(form);
});

document.addEventListener('click', (event) => {
  const link = event.target.closest('a.act-email');
  if (!link) return;
  const row = link.closest('li.touch');
  // The mail app opens over the page; the question waits for the way back.
  setTimeout(() => askIfSent(row), 400);
});
