// Service worker: the capture page works offline, signed in or not. Pages network-first,
// static files cache-first. Never the API, the calendar feed or exports: those must always
// be fresh and private.
//
// Offline, /capture is the copy kept from the last signed-in visit, or (after a logout, or
// before any sign-in) the signed-out shell: it snaps and queues, and the captures upload
// after the next sign-in. Any other page says it needs a connection (/offline): it never
// shows some other page instead.

const VERSION = 'cardscan-shell-v10';
const STATIC = [
  '/static/app.css',
  '/static/js/api.js',
  '/static/js/capture.js',
  '/static/js/cardlist.js',
  '/static/js/common.js',
  '/static/js/dom.js',
  '/static/js/edges.js',
  '/static/js/image.js',
  '/static/js/offline.js',
  '/static/js/prompt.js',
  '/static/js/queue.js',
  '/static/js/uploader.js',
  '/static/js/viewfinder.js',
  '/static/js/waiting.js',
  '/static/js/when.js',
  '/static/js/whenpreview.js',
  '/static/icons/icon-192.png',
  '/static/icons/no-photo.svg',
  '/manifest.webmanifest',
];
// Pages that need no session and hold nothing personal: kept from the install on.
const PUBLIC_PAGES = ['/capture/shell', '/offline'];
// The signed-in capture page (its events list): kept while signed in, dropped at logout.
const CAPTURE = '/capture';

async function cachePages(paths) {
  // Keep pages for offline starts; never cache a redirect (to /login) in their place.
  const cache = await caches.open(VERSION);
  await Promise.all(
    paths.map(async (path) => {
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
      .then((cache) => cache.addAll([...STATIC, ...PUBLIC_PAGES]))
      .then(() => cachePages([CAPTURE]))
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

async function offlinePage(path, cache) {
  if (path === CAPTURE || path === '/') {
    return (await cache.match(CAPTURE)) || cache.match('/capture/shell');
  }
  if (PUBLIC_PAGES.includes(path)) return cache.match(path);
  // A page that needs the network: say so (the offline page names it from the address bar).
  return cache.match('/offline');
}

async function networkFirst(request) {
  const url = new URL(request.url);
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && url.pathname === CAPTURE && !url.search) {
      cache.put(CAPTURE, response.clone());
    }
    return response;
  } catch (error) {
    const page = await offlinePage(url.pathname, cache);
    if (page) return page;
    throw error;
  }
}

async function cacheFirst(request, event) {
  // Cache first (fast, offline), refreshed in the background so updates arrive next load.
  const cache = await caches.open(VERSION);
  const cached = await cache.match(request, { ignoreSearch: true });
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
  // Logging out drops the signed-in page only: the shell and the app's files stay, so the
  // capture page still opens offline, signed out.
  if (event.data === 'logout') event.waitUntil(caches.open(VERSION).then((cache) => cache.delete(CAPTURE)));
  if (event.data === 'cache-pages') event.waitUntil(cachePages([CAPTURE, ...PUBLIC_PAGES]));
});
