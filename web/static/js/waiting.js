// Captures still on this phone, listed with their thumbnails above the cards the server has
// (before and after a reload: they live in IndexedDB until uploaded).

import { el } from './dom.js';
import * as queue from './queue.js';
import { mine } from './uploader.js';

const urls = new Map(); // uuid -> object URL of its thumbnail

function thumbUrl(item) {
  if (!urls.has(item.uuid)) {
    const bytes = item.thumb || null;
    urls.set(item.uuid, bytes ? URL.createObjectURL(new Blob([bytes], { type: 'image/jpeg' })) : '');
  }
  return urls.get(item.uuid);
}

function label(item, state) {
  if (item.rejected) return `refused: ${item.rejected}`;
  if (state.sending === item.uuid) return 'uploading…';
  if (state.loggedOut) return 'waiting for you to sign in';
  if (state.offline || !navigator.onLine) return 'waiting for a connection';
  return 'waiting to upload';
}

export function waitingList(list, { onOpen } = {}) {
  let state = {};
  async function render() {
    const items = (await queue.all()).filter((i) => mine(i) && !i.uploadedAs);
    const keep = new Set(items.map((i) => i.uuid));
    for (const [uuid, url] of urls) {
      if (!keep.has(uuid)) {
        if (url) URL.revokeObjectURL(url);
        urls.delete(uuid);
      }
    }
    const rows = items
      .slice()
      .reverse()
      .map((item) =>
        el(
          'li',
          { class: `card status-waiting${item.rejected ? ' status-failed' : ''}`, 'data-uuid': item.uuid },
          thumbUrl(item)
            ? el('img', { src: thumbUrl(item), alt: '', width: 64, height: 40 })
            : el('span', { class: 'thumb-slot', 'aria-hidden': 'true' }),
          el(
            'div',
            { class: 'card-text' },
            el('span', {
              class: 'card-name',
              text: `Snapped ${new Date(item.created).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`,
            }),
            item.reasons && item.reasons.length
              ? el('span', { class: 'card-reasons', text: `Why: ${item.reasons.map((r) => (typeof r === 'string' ? r : r.text)).join('; ')}` })
              : null,
            el('span', { class: `badge ${item.rejected ? 'failed' : 'queued'}`, text: label(item, state) }),
          ),
          onOpen && !item.rejected
            ? el('button', { type: 'button', class: 'small', text: 'Why?', 'aria-label': 'Reasons for this card', onclick: () => onOpen(item) })
            : null,
        ),
      );
    list.replaceChildren(...rows);
    list.hidden = !rows.length;
  }
  window.addEventListener('queue-change', (e) => {
    state = e.detail;
    render();
  });
  window.addEventListener('card-uploaded', render);
  window.addEventListener('online', render);
  window.addEventListener('offline', render);
  render();
  return { refresh: render };
}
