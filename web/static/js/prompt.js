// The reason prompt: one screen over the capture page, Save where the thumb is. It shows the
// card just taken and, as soon as the server has read it, the name and company (one tap to
// fix the name), "already met at …" (this meeting is added unless the user says otherwise),
// and "you already have this card" for the same photo snapped again.

import { api } from './api.js';
import { el } from './dom.js';
import * as queue from './queue.js';
import { dueFor, isoDay } from './when.js';
import { whenPreview } from './whenpreview.js';

const GENERIC_REASON = 'get in touch';
const MAX_REASON_CHARS = 200; // the server's limit (store/reasons.py)
const KINDS = { 'send deck': 'deck', deck: 'deck', intro: 'intro', meeting: 'meeting', hiring: 'hiring', partnership: 'partnership' };
const ids = new Map(); // capture uuid -> card id, once uploaded (this visit)

window.addEventListener('card-uploaded', (e) => {
  if (e.detail.id) ids.set(e.detail.uuid, e.detail.id);
});

// The sheet sits on the on-screen keyboard, not under it (the keyboard shrinks only the
// visual viewport on phones).
window.visualViewport?.addEventListener('resize', () => {
  const view = window.visualViewport;
  const covered = Math.max(0, window.innerHeight - view.height - view.offsetTop);
  document.documentElement.style.setProperty('--keyboard', `${Math.round(covered)}px`);
});

function when(iso) {
  return new Date(iso).toLocaleDateString([], { day: 'numeric', month: 'short' });
}

export function reasonPrompt(form, chipTexts, { onClose } = {}) {
  const $ = (id) => document.getElementById(id);
  const chipsBox = $('chips');
  const reasonText = $('reason-text');
  const reasonDate = $('reason-date');
  const thumb = $('prompt-thumb');
  const who = $('prompt-name');
  const fix = $('prompt-fix');
  const fixRow = $('prompt-fix-row');
  const nameInput = $('prompt-name-input');
  const knownBox = $('prompt-known');
  const dupBox = $('prompt-dup');
  const backInput = $('back-side');
  const backRow = $('back-row');
  const backStatus = $('back-status');
  const ownWhen = whenPreview(reasonText, $('reason-when'));
  // When typed in words ("in 2 weeks", "Anfang März"): its date, shown back, is the date picked.
  const whenWords = whenPreview($('reason-when-words'), $('reason-when-words-out'), {
    onDate: (day) => {
      if (!day) return;
      reasonDate.value = day;
      form.querySelector('input[name="when"][value="date"]').checked = true;
    },
  });

  let current = null; // {uuid, cardId, brief, keepKnown, timer, polls}
  let pressed = [];

  for (const text of chipTexts) {
    chipsBox.append(el('button', { type: 'button', class: 'chip', 'aria-pressed': 'false', text }));
  }
  chipsBox.addEventListener('click', (e) => {
    const button = e.target.closest('button.chip');
    if (!button) return;
    const on = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(on));
    pressed = pressed.filter((b) => b !== button);
    if (on) pressed.push(button);
    while (pressed.length + (reasonText.value.trim() ? 1 : 0) > 2 && pressed.length) {
      pressed.shift().setAttribute('aria-pressed', 'false'); // one or two reasons
    }
  });
  reasonDate.addEventListener('input', () => {
    form.querySelector('input[name="when"][value="date"]').checked = true;
  });

  function chosen() {
    // Each reason carries the chosen "when" in its own `due` (YYYY-MM-DD or null): the
    // server plans the first follow-up on that day. Queued captures keep this same shape.
    const due = dueFor(form.querySelector('input[name="when"]:checked')?.value, reasonDate.value);
    // When in words not read into a date yet (offline, or typed just before Save): the words
    // go with each reason, and the server finds their date from the snap's time on arrival.
    const words = $('reason-when-words').value.trim();
    const pending = words && !whenWords.date() ? `, ${words}` : '';
    const said = (text) => (pending ? text.slice(0, MAX_REASON_CHARS - pending.length) + pending : text);
    const reasons = pressed.map((b) => ({ text: said(b.textContent), kind: KINDS[b.textContent.toLowerCase()] || 'other', due }));
    const own = reasonText.value.trim();
    // A date in the reason's own words (shown back as it was typed) is its date; else When.
    if (own) reasons.push({ text: said(own), kind: 'other', due: ownWhen.date() || due });
    // A "when" without a reason still means "follow up then": keep it rather than drop it.
    if (!reasons.length && (due || pending)) reasons.push({ text: said(GENERIC_REASON), kind: 'other', due });
    return reasons.slice(0, 2);
  }

  // --- who is on the card -----------------------------------------------------------------

  function say(text, cls = '') {
    who.textContent = text;
    who.className = `who ${cls}`.trim();
  }

  function showBrief(brief) {
    current.brief = brief;
    if (brief.thumb && brief.status === 'done') thumb.src = brief.thumb;
    if (brief.status === 'failed') say(`Could not read this card: ${brief.error || 'unknown error'}`, 'bad');
    else if (brief.status !== 'done') say('Reading the card…', 'muted');
    else if (brief.name || brief.company) say([brief.name, brief.company].filter(Boolean).join(' · '));
    else say('No name found on the card', 'muted');
    fix.hidden = brief.status !== 'done' || !brief.contact_id || !fixRow.hidden;
    fix.textContent = brief.name ? 'Fix name' : 'Add name';
    const known = brief.known;
    knownBox.hidden = !known || current.keepKnown === false;
    if (known && current.keepKnown !== false) {
      current.keepKnown = true;
      const where = known.events.length ? `already met at ${known.events[0]}` : 'already in your contacts';
      knownBox.replaceChildren(
        el('span', { text: `${known.name || 'This person'}: ${where}. This meeting is added to them. ` }),
        el('button', { type: 'button', class: 'link', id: 'prompt-not-same', text: 'Not the same person', onclick: notSame }),
      );
    }
    if (brief.merged) {
      knownBox.hidden = false;
      knownBox.textContent = `Added to ${brief.name || 'the contact you met before'}.`;
    }
  }

  async function poll() {
    if (!current) return;
    clearTimeout(current.timer);
    const mine = current;
    if (!mine.cardId) mine.cardId = ids.get(mine.uuid) || null;
    if (mine.cardId) {
      try {
        showBrief(await api(`/api/cards/${mine.cardId}/brief`));
      } catch {
        // offline or signed out: look again later
      }
    }
    if (current !== mine) return;
    const settled = mine.brief && ['done', 'failed'].includes(mine.brief.status);
    mine.polls += 1;
    if (!settled) mine.timer = setTimeout(poll, mine.polls < 30 ? 1000 : 3000);
  }

  window.addEventListener('card-uploaded', (e) => {
    if (!current || e.detail.uuid !== current.uuid) return;
    current.cardId = e.detail.id;
    backRow.hidden = true; // the photo is on the server: too late for its back side
    if (e.detail.duplicate === 'photo') {
      const d = e.detail.duplicate_of || {};
      const parts = [d.name, d.event, d.snapped ? `snapped ${when(d.snapped)}` : null].filter(Boolean);
      dupBox.textContent = `You already have this card${parts.length ? ` (${parts.join(', ')})` : ''}: it is kept once, and the reasons you give here are added to it.`;
      dupBox.hidden = false;
    }
    poll();
  });

  async function notSame() {
    const mine = current;
    mine.keepKnown = false;
    knownBox.hidden = true;
    try {
      await api(`/api/cards/${mine.cardId}/known`, { method: 'POST', json: { contact: mine.brief.known.id, same: false } });
    } catch {
      // not said: triage offers the pair again, nothing is merged
    }
  }

  fix.addEventListener('click', () => {
    nameInput.value = current.brief?.name || '';
    fix.hidden = true;
    fixRow.hidden = false;
    nameInput.focus();
    nameInput.select();
  });
  async function saveName() {
    const mine = current;
    const name = nameInput.value.trim();
    fixRow.hidden = true;
    if (!mine || !mine.brief || !name || name === mine.brief.name) return showBrief(mine.brief);
    try {
      await api(`/api/contacts/${mine.brief.contact_id}`, { method: 'PATCH', json: { name } });
      showBrief({ ...mine.brief, name });
    } catch (error) {
      say(error.message, 'bad');
    }
  }
  $('prompt-name-save').addEventListener('click', saveName);
  nameInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      saveName();
    } else if (e.key === 'Escape') {
      fixRow.hidden = true;
      showBrief(current.brief);
    }
  });

  // --- saving -----------------------------------------------------------------------------

  async function giveReasons(mine, reasons) {
    if (!reasons.length) return;
    const cardId = mine.cardId || ids.get(mine.uuid);
    if (!cardId && mine.uuid && (await queue.update(mine.uuid, { reasons }))) return; // they go with the photo
    const id = cardId || ids.get(mine.uuid);
    if (!id) return; // uploaded from another tab: its reasons are given in triage
    try {
      await api(`/api/cards/${id}/reasons`, { method: 'POST', json: { reasons } });
    } catch {
      // Offline or signed out now: the queue sends them when it can.
      await queue.put({ uuid: `${mine.uuid || id}-reasons`, uploadedAs: id, reasons, created: Date.now() });
    }
  }

  async function close(reasons) {
    const mine = current;
    if (!mine) return;
    current = null;
    clearTimeout(mine.timer);
    form.hidden = true;
    document.body.classList.remove('sheet-open');
    await giveReasons(mine, reasons || []);
    if (mine.keepKnown && mine.brief && mine.brief.known) {
      // Unless the user said otherwise, this meeting is added to the contact met before.
      await api(`/api/cards/${mine.cardId}/known`, { method: 'POST', json: { contact: mine.brief.known.id, same: true } }).catch(() => null);
    }
    if (onClose) onClose(mine);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    close(chosen());
  });
  $('reasons-skip').addEventListener('click', () => close(null));

  backInput.addEventListener('change', async () => {
    const file = backInput.files[0];
    backInput.value = '';
    if (!file || !current) return;
    const { downscale } = await import('./image.js');
    backStatus.textContent = 'Saving back side…';
    const { bytes } = await downscale(file);
    const item = current.uuid && !current.cardId ? await queue.update(current.uuid, { back: bytes }) : null;
    backStatus.textContent = item ? 'Back side added.' : 'Too late: the card was already uploaded.';
  });

  return {
    get isOpen() {
      return Boolean(current);
    },
    async open({ uuid = null, cardId = null, thumbUrl = '', uploaded = false } = {}) {
      if (current) await close(null);
      current = { uuid, cardId, brief: null, keepKnown: null, timer: null, polls: 0 };
      pressed = [];
      for (const b of chipsBox.querySelectorAll('.chip')) b.setAttribute('aria-pressed', 'false');
      form.reset();
      ownWhen.clear();
      whenWords.clear();
      reasonDate.min = isoDay(new Date()); // a follow-up date is today or later
      thumb.src = thumbUrl || '';
      thumb.hidden = !thumbUrl;
      say(uploaded || cardId ? 'Reading the card…' : 'Saved on this phone: uploading…', 'muted');
      fix.hidden = true;
      fixRow.hidden = true;
      knownBox.hidden = true;
      dupBox.hidden = true;
      backRow.hidden = Boolean(cardId);
      backStatus.textContent = '';
      form.hidden = false;
      document.body.classList.add('sheet-open');
      form.querySelector('.chip, input')?.focus({ preventScroll: true });
      poll();
    },
    offline(text) {
      // Shown while the capture waits on the phone (no network or no session).
      if (current && !current.cardId && !ids.get(current.uuid)) say(text, 'muted');
    },
    // Another card taken while the prompt is open: the reasons picked so far are kept.
    close: () => close(chosen()),
  };
}
