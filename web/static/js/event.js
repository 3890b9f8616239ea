import { liveCards } from './cardlist.js';

const list = document.getElementById('event-cards');
const summary = document.getElementById('event-summary');
liveCards(list, {
  eventId: list.dataset.event,
  onUpdate(cards) {
    const counts = {};
    for (const c of cards) counts[c.status] = (counts[c.status] || 0) + 1;
    const parts = [`${cards.length} card${cards.length === 1 ? '' : 's'}`];
    if (counts.queued || counts.reading) parts.push(`${(counts.queued || 0) + (counts.reading || 0)} being read`);
    if (counts.failed) parts.push(`${counts.failed} could not be read`);
    summary.textContent = parts.join(' · ');
  },
});
