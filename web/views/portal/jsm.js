// The service desk REST client (/rest/servicedeskapi): JSM answers errors as
// `{errorMessage}`, pages lists as `{values, isLastPage}`, and takes DELETE bodies.
import { ApiError } from '../../api.js';

const SD = '/rest/servicedeskapi';

async function call(method, path, body, headers = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (method !== 'GET') init.headers['X-Atlassian-Token'] = 'no-check';
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(SD + path, init);
  } catch (e) {
    throw new ApiError(0, [`Could not reach the server (${e.message}).`]);
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const msg = (data && (data.errorMessage || (data.errorMessages || []).join(' '))) || `The server answered ${res.status}.`;
    throw new ApiError(res.status, [msg]);
  }
  return data;
}

export const sd = {
  get: (p) => call('GET', p),
  post: (p, b) => call('POST', p, b),
  put: (p, b) => call('PUT', p, b),
  del: (p, b) => call('DELETE', p, b),
  /** Every page of a JSM list (capped, as a page is a screenful anyway). */
  async all(p, cap = 500) {
    const out = [];
    for (let start = 0; out.length < cap; ) {
      const page = await call('GET', `${p}${p.includes('?') ? '&' : '?'}start=${start}&limit=100`);
      out.push(...(page.values || []));
      if (page.isLastPage !== false || !(page.values || []).length) break;
      start += page.values.length;
    }
    return out;
  },
  /** `attachTemporaryFile` then `request/{key}/attachment`: the two steps JSM takes. */
  async attach(deskId, key, files, isPublic = true) {
    const form = new FormData();
    for (const f of files) form.append('file', f, f.name);
    const tmp = await call('POST', `/servicedesk/${encodeURIComponent(deskId)}/attachTemporaryFile`, form);
    const ids = (tmp.temporaryAttachments || []).map((t) => t.temporaryAttachmentId);
    return call('POST', `/request/${encodeURIComponent(key)}/attachment`, { temporaryAttachmentIds: ids, public: isPublic });
  },
};

/**
 * What the signed-in person is to the service desks: `customer` when they are that and
 * nothing more (not an administrator, some desk takes their requests, no desk lets them
 * work its queues — JSM answers 403 to customers there — and no other kind of project is
 * theirs to browse), `agent` when some desk's queues are theirs, else `null`.
 */
export async function deskRole(api, admin) {
  let desks;
  try {
    desks = (await sd.get('/servicedesk?limit=50')).values || [];
  } catch {
    return null;
  }
  if (!desks.length) return null;
  if (admin) return 'agent';
  for (const d of desks.slice(0, 10)) {
    try {
      await sd.get(`/servicedesk/${encodeURIComponent(d.id)}/queue?limit=1`);
      return 'agent';
    } catch (e) {
      if (e.status !== 403) return null;
    }
  }
  const projects = await api.get('/project').catch(() => []);
  if ((projects || []).some((p) => p.projectTypeKey && p.projectTypeKey !== 'service_desk')) return null;
  return 'customer';
}

export const enc = encodeURIComponent;
