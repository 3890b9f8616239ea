// Dates in words shown back as you type: "coffee in March" -> "→ Mon 1 Mar 2027".
// The server reads the words (GET /api/when, the library's find_when), so the page, the
// capture queue and the CLI agree on what a phrase means.

import { api } from './api.js';

const WAIT_MS = 250;

// Watch `input` and show the date its words name in `output`. `onDate(iso or null)` is
// told each new answer. Returns { date() } for the latest ISO day (null: no date found).
export function whenPreview(input, output, { onDate = () => {}, from = null } = {}) {
  let timer = null;
  let asked = '';
  let day = null;
  async function ask() {
    const text = input.value.trim();
    if (text === asked) return;
    asked = text;
    if (!text) {
      show(null);
      return;
    }
    try {
      const query = new URLSearchParams({ text });
      if (from) query.set('from', from);
      const answer = await api(`/api/when?${query}`);
      if (input.value.trim() === text) show(answer.found ? answer : null);
    } catch {
      output.textContent = ''; // offline: the server reads the words when the card arrives
    }
  }
  function show(answer) {
    day = answer ? answer.date : null;
    output.textContent = answer ? `→ ${answer.label}` : '';
    output.dataset.date = day || '';
    onDate(day);
  }
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(ask, WAIT_MS);
  });
  if (input.value.trim()) ask();
  function clear() {
    clearTimeout(timer);
    asked = '';
    show(null);
  }
  return { date: () => day, flush: ask, clear };
}

// Every form on the page with a [data-when-text] input: its words fill the form's date
// field ([data-when-date]) unless the user set that date by hand.
export function wireForms(root = document) {
  for (const input of root.querySelectorAll('input[data-when-text]')) {
    const form = input.form;
    const output = form.querySelector('output[data-when-out]');
    const dateInput = form.querySelector('input[data-when-date]');
    if (!output) continue;
    let filled = dateInput && !dateInput.value;
    dateInput?.addEventListener('input', () => {
      filled = false;
    });
    whenPreview(input, output, {
      onDate: (day) => {
        if (dateInput && (filled || !dateInput.value)) {
          dateInput.value = day || '';
          filled = true;
        }
      },
    });
  }
}
