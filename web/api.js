// The REST client: the public Jira API with the browser's cookie session. Every write
// sends JSON and `X-Atlassian-Token: no-check` (Jira's CSRF convention).

export class ApiError extends Error {
  constructor(status, messages, fields) {
    super(messages.join(' '));
    this.status = status;
    this.messages = messages;
    this.fields = fields || {};
  }
}

const listeners = new Set();
/** Called with no argument when any request answers 401 (the session is gone). */
export function onUnauthorized(fn) {
  listeners.add(fn);
}

export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET') {
    headers['X-Atlassian-Token'] = 'no-check';
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, [`Could not reach the server (${e.message}).`]);
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const messages = [...((data && data.errorMessages) || [])];
    const fields = (data && data.errors) || {};
    for (const [k, v] of Object.entries(fields)) messages.push(`${k}: ${v}`);
    if (!messages.length) messages.push(`The server answered ${res.status} ${res.statusText}.`);
    if (res.status === 401 && !path.startsWith('/rest/auth/')) listeners.forEach((fn) => fn());
    throw new ApiError(res.status, messages, fields);
  }
  return data;
}

/** Multipart upload of files (`POST issue/{key}/attachments`), as Jira expects it. */
export async function upload(path, files) {
  const form = new FormData();
  for (const f of files) form.append('file', f, f.name);
  let res;
  try {
    res = await fetch(`/rest/api/2${path}`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-Atlassian-Token': 'no-check' },
    });
  } catch (e) {
    throw new ApiError(0, [`Could not reach the server (${e.message}).`]);
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const messages = [...((data && data.errorMessages) || [])];
    for (const [k, v] of Object.entries((data && data.errors) || {})) messages.push(`${k}: ${v}`);
    if (!messages.length) messages.push(`The server answered ${res.status} ${res.statusText}.`);
    throw new ApiError(res.status, messages, (data && data.errors) || {});
  }
  return data;
}

const v2 = (p) => `/rest/api/2${p}`;
export const api = {
  get: (p) => request('GET', v2(p)),
  post: (p, b) => request('POST', v2(p), b),
  put: (p, b) => request('PUT', v2(p), b),
  del: (p) => request('DELETE', v2(p)),
  login: (username, password) => request('POST', '/rest/auth/1/session', { username, password }),
  logout: () => request('DELETE', '/rest/auth/1/session'),
  tokens: () => request('GET', '/rest/pat/latest/tokens'),
  scopes: () => request('GET', '/rest/pat/latest/scopes'),
  createToken: (b) => request('POST', '/rest/pat/latest/tokens', b),
  revokeToken: (id) => request('DELETE', `/rest/pat/latest/tokens/${encodeURIComponent(id)}`),
};

export const enc = encodeURIComponent;
