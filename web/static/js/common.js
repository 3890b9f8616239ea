// Shared helpers: JSON fetch with the CSRF header, and service worker registration.

let csrfToken = document.querySelector('meta[name="csrf-token"]')?.content || '';

export function csrf() {
  return csrfToken;
}

export async function refreshCsrf() {
  // Cached pages may carry a stale token: ask the server for the session's current one.
  const response = await fetch('/api/session', {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (response.ok) {
    csrfToken = (await response.json()).csrf_token;
  }
  return response.status;
}

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

export async function api(path, { method = 'GET', json, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRFToken'] = csrfToken;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const response = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError((data && data.error) || `${response.status} ${response.statusText}`, response.status);
  }
  return data;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

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

// Logging out drops the offline copies of pages.
document.querySelector('form.logout')?.addEventListener('submit', () => {
  navigator.serviceWorker?.controller?.postMessage('logout');
});

registerServiceWorker();

// Captures waiting on this phone keep uploading while you browse other pages too.
if (document.querySelector('nav.tabs') && !document.getElementById('capture') && 'indexedDB' in window) {
  import('./uploader.js').then((uploader) => uploader.start());
}
