// Talking to the server: JSON fetch with the session's CSRF header.

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
