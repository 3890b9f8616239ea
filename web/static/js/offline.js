// The offline page, served by the service worker in place of a page that needs the network:
// it names that page and tries again when asked or when the server can be reached again.

const what = document.getElementById('offline-what');
if (location.pathname !== '/offline') {
  what.textContent = `${location.pathname} needs a connection, and there is none right now.`;
}
document.getElementById('offline-retry').addEventListener('click', () => location.reload());

// 'online' only says a network interface came up (a captive portal, or a browser waking up,
// fires it too): reload once the server answers, so the page never swaps itself for nothing,
// nor races a page the user is already opening.
window.addEventListener('online', async () => {
  try {
    await fetch(location.href, { method: 'HEAD', cache: 'no-store' });
  } catch {
    return; // still unreachable: the next 'online' or a tap on "Try again"
  }
  location.reload();
});
