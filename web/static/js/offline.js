// The offline page, served by the service worker in place of a page that needs the network:
// it names that page and tries again when asked or when the connection is back.

const what = document.getElementById('offline-what');
if (location.pathname !== '/offline') {
  what.textContent = `${location.pathname} needs a connection, and there is none right now.`;
}
document.getElementById('offline-retry').addEventListener('click', () => location.reload());
window.addEventListener('online', () => location.reload());
