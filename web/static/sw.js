// Service worker: the app shell works offline. Pages network-first, static files cache-first.
// Never the API, the calendar feed or exports: those must always be fresh and private.

const VERSION = 'cardscan-shell-v5';
const STATIC = [
  '/static/app.css',
  '/static/js/api.js',
  '/static/js/common.js',
  '/static/js/dom.js',
  '/static/js/queue.js',
  '/static/js/uploader.js',
  '/static/js/image.js',
  '/static/js/cardlist.js',
  '/static/js/capture.js',
  '/static/js/when.js',
  '/static/js/whenpreview.js',
  '/static/icons/icon-192.png',
  '/manifest.webmanifest',
];
// Pages kept for offline use: only the capture shell and the login page, no contact data.
const OFFLINE_PAGES = ['/capture', '/login'];

async function cachePages() {
  // Keep the logged-in capture page for offline starts; never cache a redirect to /login.
  const cache = await caches.open(VERSION);
  await Promise.all(
    OFFLINE_PAGES.map(async (path) => {
      try {
        const response = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
        if (response.ok && !response.redirected) await cache.put(path, response);
      } catch {
        // offline now: the next visit fills it
      }
    }),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(VERSION)
      .then((cache) => cache.addAll(STATIC))
      .then(cachePages)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function bypass(url) {
  return (
    url.origin !== self.location.origin ||
    url.pathname.startsWith('/api/') ||
    url.pathname.startsWith('/calendar/') ||
    url.pathname.startsWith('/exports/') ||
    url.pathname.endsWith('.ics') ||
    url.pathname.endsWith('.vcf') ||
    url.pathname === '/sw.js'
  );
}

async function networkFirst(request) {
  const url = new URL(request.url);
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && OFFLINE_PAGES.includes(url.pathname)) {
      cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    const cached = (await cache.match(url.pathname)) || (await cache.match('/capture'));
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request, event) {
  // Cache first (fast, offline), refreshed in the background so updates arrive next load.
  const cache = await caches.open(VERSION);
  const cached = await cache.match(request);
  const fresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(fresh.catch(() => undefined));
    return cached;
  }
  return fresh;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (bypass(url)) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith('/static/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(cacheFirst(request, event));
  }
});

self.addEventListener('message', (event) => {
  if (event.data === 'logout') event.waitUntil(caches.delete(VERSION));
  if (event.data === 'cache-pages') event.waitUntil(cachePages());
});
