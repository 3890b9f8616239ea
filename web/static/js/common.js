// Every page: the service worker, copy buttons, logout, and uploads of waiting captures.

import * as uploader from './uploader.js';

function registerServiceWorker() {
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        // Logged in on the capture page: refresh its offline copy (fresh events, token).
        if (location.pathname === '/capture') registration.active?.postMessage('cache-pages');
      })
      .catch((error) => {
        console.warn('service worker not registered:', error.message);
      });
  }
}

for (const button of document.querySelectorAll('button.copy[data-copy]')) {
  button.addEventListener('click', async () => {
    const input = document.getElementById(button.dataset.copy);
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Press Ctrl+C';
    }
  });
}

// Signing in tells the server the phone's time zone (kept unless one was chosen in Settings):
// "tomorrow" is then the user's tomorrow.
for (const input of document.querySelectorAll('input[data-browser-timezone]')) {
  input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
}

// Logging out drops the offline copies of pages.
document.querySelector('form.logout')?.addEventListener('submit', () => {
  navigator.serviceWorker?.controller?.postMessage('logout');
});

registerServiceWorker();

// Captures waiting on this phone keep uploading while you browse other pages too.
if (document.querySelector('nav.tabs') && !document.getElementById('capture') && 'indexedDB' in window) {
  uploader.start();
}

// Follow-ups listed on a page (Today, a contact's) act in place, with Undo.
if (document.querySelector('li.touch')) {
  import('./today.js');
}
