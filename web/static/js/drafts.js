// Settings: each drafted-message template shows a live preview as you type, and the digest's
// time zone starts as this device's when none was chosen.
import { api } from './api.js';

const WAIT_MS = 300;

function previewer(form) {
  const subject = form.querySelector('input[name="subject"]');
  const body = form.querySelector('textarea[name="body"]');
  const out = {
    subject: form.querySelector('.preview-subject'),
    body: form.querySelector('.preview-body'),
    error: form.querySelector('.preview-error'),
  };
  let timer = null;
  let asked = 0;

  async function refresh() {
    const mine = ++asked;
    let data;
    try {
      data = await api('/settings/templates/preview', {
        method: 'POST',
        json: { kind: form.dataset.kind, subject: subject.value, body: body.value },
      });
    } catch (error) {
      data = { ok: false, error: error.message };
    }
    if (mine !== asked) return; // a later keystroke's answer is on its way
    out.error.hidden = data.ok;
    out.error.textContent = data.ok ? '' : data.error;
    if (data.ok) {
      out.subject.textContent = data.subject;
      out.body.textContent = data.body;
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, WAIT_MS);
  }

  subject.addEventListener('input', later);
  body.addEventListener('input', later);
  return refresh;
}

for (const form of document.querySelectorAll('form.template-form')) {
  const refresh = previewer(form);
  const details = form.closest('details');
  // Filled in when first opened, not for every template at page load.
  if (details.open) refresh();
  else details.addEventListener('toggle', () => details.open && refresh(), { once: true });
}

const zone = document.getElementById('digest-timezone');
if (zone && !zone.dataset.current) {
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (here && [...zone.options].some((o) => o.value === here)) zone.value = here;
}
