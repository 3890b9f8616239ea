// A live list of an event's cards: status and OCR results appear without a reload.

import { api } from './api.js';
import { el } from './dom.js';

const LABELS = { queued: 'waiting for OCR', reading: 'reading…', done: 'read', failed: 'could not read' };

function who(card) {
  const c = card.contact;
  if (card.status === 'failed') return card.error || 'The photo could not be read.';
  if (!c) {
    const when = card.created ? new Date(card.created).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
    return `Card ${card.id}${when ? ` · snapped ${when}` : ''}`;
  }
  return c.name || (c.emails && c.emails[0]) || '(no name found)';
}

function where(card) {
  const c = card.contact;
  return c ? [c.title, c.company].filter(Boolean).join(', ') : '';
}

// "send deck (by 2026-12-14); intro": a reason's own due date is shown with it.
function reasons(card) {
  const list = (card.contact_record && card.contact_record.reasons) || [];
  return list.map((r) => (r.due ? `${r.text} (by ${r.due})` : r.text)).join('; ');
}

function badge(card) {
  if (card.status === 'done' && card.triaged) return 'read · checked';
  return LABELS[card.status] || card.status;
}

function thumbnail(card, old) {
  // The list is drawn again on every poll: keep an image that has not changed, so it is not
  // fetched or decoded again (a thumbnail's URL changes when the card is read).
  const kept = old.get(card.thumb);
  if (kept) return kept;
  return el('img', { src: card.thumb, alt: '', loading: 'lazy', decoding: 'async', width: 64, height: 40 });
}

function render(list, cards, onOpen) {
  const old = new Map([...list.querySelectorAll('img')].map((img) => [img.getAttribute('src'), img]));
  const items = cards.map((card) =>
    el(
      'li',
      { class: `card status-${card.status}`, 'data-card': card.id, 'data-status': card.status },
      thumbnail(card, old),
      el(
        'div',
        { class: 'card-text' },
        card.contact_id
          ? el('a', { href: card.contact_record.url, class: 'card-name', text: who(card) })
          : el('span', { class: 'card-name', text: who(card) }),
        where(card) ? el('span', { class: 'card-where', text: where(card) }) : null,
        reasons(card) ? el('span', { class: 'card-reasons', text: `Why: ${reasons(card)}` }) : null,
        el('span', { class: `badge ${card.status}`, text: badge(card) }),
      ),
      card.status === 'failed'
        ? el('button', { type: 'button', class: 'small retry', 'data-retry': card.id, text: 'Try again' })
        : onOpen && !card.triaged && !reasons(card)
          ? el('button', { type: 'button', class: 'small', 'data-open': card.id, text: 'Why?', 'aria-label': `Reasons for ${who(card)}` })
          : null,
    ),
  );
  list.replaceChildren(...items);
}

export function liveCards(list, { eventId, limit, onUpdate, onOpen } = {}) {
  let timer = null;
  let stopped = false;
  let shown = [];
  list.addEventListener('click', async (e) => {
    const open = e.target.closest('button[data-open]');
    if (open && onOpen) {
      onOpen(shown.find((c) => String(c.id) === open.dataset.open));
      return;
    }
    const button = e.target.closest('button[data-retry]');
    if (!button) return;
    button.disabled = true;
    try {
      await api(`/api/cards/${button.dataset.retry}/retry`, { method: 'POST' });
    } catch (error) {
      button.textContent = error.message;
    }
    poll();
  });
  async function poll() {
    clearTimeout(timer);
    let busy = false;
    try {
      const query = eventId ? `?event=${encodeURIComponent(eventId)}` : '';
      const data = await api(`/api/cards${query}`);
      let cards = data.cards.slice().sort((a, b) => b.id - a.id);
      busy = cards.some((c) => c.status === 'queued' || c.status === 'reading');
      if (onUpdate) onUpdate(cards);
      if (limit) cards = cards.slice(0, limit);
      shown = cards;
      render(list, cards, onOpen);
    } catch (error) {
      busy = true; // offline or logged out: look again later
    }
    if (!stopped) timer = setTimeout(poll, busy ? 2000 : 15000);
  }
  poll();
  return {
    refresh: poll,
    setEvent(id) {
      eventId = id;
      poll();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
