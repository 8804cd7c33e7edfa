// "My requests": the caller's requests (`GET request` with requestOwnership and
// requestStatus), each with its customer-facing status.
import { h, mount, link, spinner, errorBox } from '../../dom.js';
import { sd, enc } from './jsm.js';
import { portalHead, requestStatus, fieldValue } from './nav.js';

const OWNERSHIP = [
  ['OWNED_REQUESTS', 'Created by me'],
  ['PARTICIPATED_REQUESTS', 'Where I am a participant'],
  ['APPROVER', 'Awaiting my approval'],
  ['ALL_REQUESTS', 'All my requests'],
];
const STATUS = [['OPEN_REQUESTS', 'Open'], ['CLOSED_REQUESTS', 'Closed'], ['ALL_REQUESTS', 'Any status']];

export async function portalRequestsView(el) {
  const params = new URLSearchParams(location.search);
  const own = h('select#requests-ownership', { 'aria-label': 'Whose requests' },
    OWNERSHIP.map(([v, l]) => h('option', { value: v, selected: v === (params.get('ownership') || 'ALL_REQUESTS') }, l)));
  const st = h('select#requests-status', { 'aria-label': 'Status' },
    STATUS.map(([v, l]) => h('option', { value: v, selected: v === (params.get('status') || 'ALL_REQUESTS') }, l)));
  const search = h('input#requests-search', { type: 'search', placeholder: 'Search requests', 'aria-label': 'Search requests' });
  const list = h('div.portal-requests');
  const load = async () => {
    mount(list, spinner('Loading your requests…'));
    const q = new URLSearchParams({ requestOwnership: own.value, requestStatus: st.value, expand: 'requestType,serviceDesk' });
    if (own.value === 'APPROVER') {
      q.set('approvalStatus', 'MY_PENDING_APPROVAL');
      q.delete('requestStatus');
    }
    if (search.value.trim()) q.set('searchTerm', search.value.trim());
    try {
      const rows = await sd.all(`/request?${q}`, 200);
      mount(list, rows.length ? table(rows) : h('div.empty', h('p', 'No requests here yet.'), link('/portal', 'Raise a request')));
    } catch (e) {
      mount(list, errorBox(e));
    }
  };
  own.addEventListener('change', load);
  st.addEventListener('change', load);
  search.addEventListener('keydown', (e) => e.key === 'Enter' && load());
  mount(el, portalHead('My requests', null, [link('/portal', 'Help center')]),
    h('div.portal-filters', own, st, search, h('button.ghost', { type: 'button', onclick: load }, 'Search')),
    list);
  await load();
  return {};
}

function table(rows) {
  return h('table.grid.requests-table',
    h('thead', h('tr', h('th', 'Reference'), h('th', 'Summary'), h('th', 'Status'), h('th', 'Service desk'), h('th', 'Requester'), h('th', 'Created'))),
    h('tbody', rows.map((r) => h('tr', { dataset: { key: r.issueKey } },
      h('td.mono', link(`/portal/request/${enc(r.issueKey)}`, r.issueKey)),
      h('td', link(`/portal/request/${enc(r.issueKey)}`, fieldValue(r, 'summary') || '(no summary)'),
        r.requestType && h('div.small.muted', r.requestType.name)),
      h('td', requestStatus(r.currentStatus)),
      h('td', r.serviceDesk ? r.serviceDesk.projectName : ''),
      h('td', r.reporter ? r.reporter.displayName : ''),
      h('td', r.createdDate ? r.createdDate.friendly : '')))));
}
