// The issue navigator: JQL bar, results table with sortable headers, paging.
import { api } from '../api.js';
import { h, mount, link, spinner, errorBox, formatDate, lozenge } from '../dom.js';
import { jqlEditor, sortBy, splitOrderBy } from '../jql.js';

const PAGE = 50;
const DEFAULT_JQL = 'ORDER BY updated DESC';
const COLUMNS = [
  { id: 'key', label: 'Key', field: 'key', dir: 'ASC' },
  { id: 'type', label: 'Type', field: 'issuetype', dir: 'ASC', cls: 'narrow-hide' },
  { id: 'summary', label: 'Summary', field: 'summary', dir: 'ASC' },
  { id: 'status', label: 'Status', field: 'status', dir: 'ASC' },
  { id: 'assignee', label: 'Assignee', field: 'assignee', dir: 'ASC', cls: 'narrow-hide' },
  { id: 'priority', label: 'Priority', field: 'priority', dir: 'DESC', cls: 'narrow-hide' },
  { id: 'updated', label: 'Updated', field: 'updated', dir: 'DESC', cls: 'narrow-hide' },
];
const FIELDS = ['summary', 'issuetype', 'status', 'assignee', 'priority', 'updated'];

function cell(col, issue) {
  const f = issue.fields || {};
  switch (col.id) {
    case 'key': return link(`/browse/${issue.key}`, issue.key);
    case 'type': return f.issuetype ? f.issuetype.name : '';
    case 'summary': return link(`/browse/${issue.key}`, f.summary || '');
    case 'status': return lozenge(f.status);
    case 'assignee': return f.assignee ? f.assignee.displayName : h('span.muted', 'Unassigned');
    case 'priority': return f.priority ? h(`span.prio.prio-${f.priority.id}`, f.priority.name) : '';
    case 'updated': return h('time', { datetime: f.updated, title: f.updated }, formatDate(f.updated));
    default: return '';
  }
}

export async function navigatorView(el, _params, { navigate }) {
  const params = new URLSearchParams(location.search);
  let jql = params.has('jql') ? params.get('jql') : DEFAULT_JQL;
  let startAt = Math.max(0, Number(params.get('startAt')) || 0);
  let rows = [];
  let selected = -1;
  let seq = 0;

  const count = h('span.count', { 'aria-live': 'polite' });
  const results = h('div.results');
  const editor = jqlEditor({ value: jql, onSubmit: (q) => { startAt = 0; run(q); } });
  const searchButton = h('button.primary', { type: 'button', onclick: () => { startAt = 0; run(editor.value); } }, 'Search');

  mount(
    el,
    h('div.page-head', h('h1', 'Issues'), count),
    h('div.searchbar', editor.el, searchButton),
    results,
  );

  function select(i) {
    const trs = results.querySelectorAll('tbody tr');
    if (!trs.length) return;
    selected = Math.max(0, Math.min(trs.length - 1, i));
    trs.forEach((tr, j) => tr.classList.toggle('selected', j === selected));
    trs[selected].scrollIntoView({ block: 'nearest' });
  }

  async function run(q) {
    jql = q.trim();
    const my = ++seq;
    const url = `/issues?jql=${encodeURIComponent(jql)}${startAt ? `&startAt=${startAt}` : ''}`;
    if (location.pathname + location.search !== url) history.replaceState(null, '', url);
    results.classList.add('busy');
    if (!rows.length) mount(results, spinner('Searching…'));
    let page;
    try {
      page = await api.post('/search', { jql, startAt, maxResults: PAGE, fields: FIELDS });
    } catch (err) {
      if (my !== seq) return;
      results.classList.remove('busy');
      rows = [];
      count.textContent = '';
      if (err.status === 400) {
        editor.showError(err.messages.join(' '));
        mount(results, h('div.empty', h('p', 'Fix the query to see results.')));
      } else {
        mount(results, errorBox(err));
      }
      return;
    }
    if (my !== seq) return;
    results.classList.remove('busy');
    editor.clearError();
    rows = page.issues || [];
    selected = -1;
    const total = page.total || 0;
    count.textContent = total === 1 ? '1 issue' : `${total} issues`;
    if (page.warningMessages && page.warningMessages.length) {
      results.before(h('div.warning', page.warningMessages.join(' ')));
    }
    if (!rows.length) {
      mount(results, h('div.empty', h('p', 'No issues match this query.'), h('p.muted', 'Try a broader query, or create an issue with ', h('kbd', 'c'), '.')));
      return;
    }
    const order = splitOrderBy(jql);
    const head = COLUMNS.map((col) => {
      const sorted = order.field && order.field.toLowerCase() === col.field;
      const arrow = sorted ? (order.dir === 'DESC' ? ' ▼' : ' ▲') : '';
      return h(`th.col-${col.id}`, {
        class: col.cls, 'aria-sort': sorted ? (order.dir === 'DESC' ? 'descending' : 'ascending') : null,
      }, h('button.sort', {
        type: 'button', title: `Sort by ${col.label}`,
        onclick: () => {
          const q = sortBy(jql, col.field, col.dir);
          editor.value = q;
          startAt = 0;
          run(q);
        },
      }, col.label, arrow));
    });
    const body = rows.map((issue) => h('tr', { dataset: { key: issue.key } },
      COLUMNS.map((col) => h(`td.col-${col.id}`, { class: col.cls }, cell(col, issue)))));
    const last = Math.min(startAt + rows.length, total);
    const pager = h(
      'div.pager',
      h('span', `${startAt + 1}–${last} of ${total}`),
      h('button.ghost', { type: 'button', disabled: startAt === 0, onclick: () => { startAt = Math.max(0, startAt - PAGE); run(jql); } }, '← Previous'),
      h('button.ghost', { type: 'button', disabled: last >= total, onclick: () => { startAt += PAGE; run(jql); } }, 'Next →'),
    );
    mount(results, h('div.table-wrap', h('table.grid.issues', h('thead', h('tr', head)), h('tbody', body))), pager);
  }

  run(jql);

  return {
    focusSearch: () => editor.focus(),
    keys(e) {
      if (e.key === 'j') { select(selected + 1); return true; }
      if (e.key === 'k') { select(selected - 1); return true; }
      if (e.key === 'Enter' && selected >= 0 && rows[selected]) { navigate(`/browse/${rows[selected].key}`); return true; }
      return false;
    },
  };
}
