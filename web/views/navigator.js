// The issue navigator: JQL bar or basic pickers, saved filters, results table with
// sortable headers, paging.
import { api, enc } from '../api.js';
import { h, mount, append, link, spinner, errorBox, formatDate, lozenge } from '../dom.js';
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

/** Plain text of the server's suggestion `displayName` (HTML with `<b>` marks). */
function plain(html) {
  return new DOMParser().parseFromString(html || '', 'text/html').body.textContent;
}

/** JQL string literal. */
const quote = (v) => `"${String(v).replace(/(["\\])/g, '\\$1')}"`;

/** The JQL the basic mode's pickers describe, keeping the ORDER BY of `jql`. */
export function basicJql(b, orderBy) {
  const parts = [];
  if (b.project) parts.push(`project = ${quote(b.project)}`);
  if (b.type) parts.push(`issuetype = ${quote(b.type)}`);
  if (b.status) parts.push(`status = ${quote(b.status)}`);
  if (b.assignee === 'currentUser()') parts.push('assignee = currentUser()');
  else if (b.assignee === 'EMPTY') parts.push('assignee is EMPTY');
  else if (b.assignee) parts.push(`assignee = ${quote(b.assignee)}`);
  if (b.text && b.text.trim()) parts.push(`text ~ ${quote(b.text.trim())}`);
  return [parts.join(' AND '), orderBy].filter(Boolean).join(' ');
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
  const editor = jqlEditor({ value: jql, onSubmit: (q) => { startAt = 0; edited(q); run(q); } });
  const searchButton = h('button.primary', { type: 'button', onclick: () => { startAt = 0; edited(editor.value); run(editor.value); } }, 'Search');
  let filterJql = null;
  // A query typed over an open filter is no longer that filter.
  function edited(q) {
    if (filterJql !== null && q.trim() !== filterJql.trim()) {
      filterId = null;
      filterJql = null;
      filterName.textContent = '';
      el.querySelectorAll('.filters li.active').forEach((li) => li.classList.remove('active'));
    }
  }

  // Saved filters: a side list of favourites and the caller's own filters.
  let filterId = params.get('filter') || null;
  const filterList = h('div.filter-list', spinner('Loading filters…'));
  const filterName = h('span.filter-name#filter-name');
  const saveStatus = h('div.save-status');
  async function loadFilters() {
    try {
      const [mine, favs] = await Promise.all([api.get('/filter/my'), api.get('/filter/favourite')]);
      const byId = new Map();
      for (const f of [...favs, ...mine]) byId.set(f.id, f);
      const all = [...byId.values()];
      const current = all.find((f) => f.id === filterId);
      filterName.textContent = current ? current.name : '';
      filterJql = current ? current.jql : null;
      const item = (f) => h('li', { dataset: { id: f.id }, class: f.id === filterId ? 'active' : null },
        h('button.star', {
          type: 'button', 'aria-pressed': f.favourite ? 'true' : 'false',
          title: f.favourite ? 'Remove from favourites' : 'Add to favourites',
          'aria-label': `${f.favourite ? 'Unfavourite' : 'Favourite'} ${f.name}`,
          onclick: async () => {
            try {
              if (f.favourite) await api.del(`/filter/${enc(f.id)}/favourite`);
              else await api.put(`/filter/${enc(f.id)}/favourite`);
            } catch (err) { mount(saveStatus, errorBox(err)); }
            loadFilters();
          },
        }, f.favourite ? '★' : '☆'),
        h('a.open-filter', { href: `/issues?filter=${enc(f.id)}&jql=${enc(f.jql)}`, title: f.jql, onclick: (e) => { e.preventDefault(); e.stopPropagation(); openFilter(f); } }, f.name));
      const favList = all.filter((f) => f.favourite);
      mount(filterList,
        h('h3', 'Favourite filters'),
        favList.length ? h('ul.plain.filters.favourites', favList.map(item)) : h('p.muted.small', 'Star a filter to keep it here.'),
        h('h3', 'My filters'),
        mine.length ? h('ul.plain.filters.mine', mine.map(item)) : h('p.muted.small', 'Save a search to reuse it.'));
    } catch (err) {
      mount(filterList, errorBox(err));
    }
  }
  // The name shows at once, from the filter clicked: waiting for the list to reload
  // left the heading blank while the results were already there.
  function openFilter(f) {
    filterId = f.id;
    filterJql = f.jql;
    filterName.textContent = f.name;
    el.querySelectorAll('.filters li').forEach((li) => li.classList.toggle('active', li.dataset.id === f.id));
    editor.value = f.jql;
    startAt = 0;
    if (basic) fillBasic(f.jql);
    run(f.jql);
    loadFilters();
  }
  function saveForm() {
    const name = h('input#filter-save-name', { required: true, placeholder: 'Filter name', 'aria-label': 'Filter name', maxlength: 255 });
    const form = h('form.save-filter', {
      onsubmit: async (e) => {
        e.preventDefault();
        mount(saveStatus, spinner('Saving…'));
        try {
          const f = await api.post('/filter', { name: name.value.trim(), jql: editor.value.trim(), favourite: true });
          filterId = f.id;
          mount(saveStatus, h('div.ok', `Saved as “${f.name}”.`));
          run(editor.value);
          loadFilters();
        } catch (err) { mount(saveStatus, errorBox(err)); }
      },
    }, name, h('button.primary', { type: 'submit' }, 'Save'), h('button.ghost', { type: 'button', onclick: () => mount(saveStatus) }, 'Cancel'));
    mount(saveStatus, form);
    name.focus();
  }

  // Basic mode: pickers that write the JQL.
  let basic = false;
  const basicBox = h('form.basic#basic', { hidden: true, onsubmit: (e) => { e.preventDefault(); applyBasic(); } });
  const pick = (id, label) => h(`select#${id}`, { 'aria-label': label, onchange: () => applyBasic() }, h('option', { value: '' }, `${label}: any`));
  const bProject = pick('basic-project', 'Project');
  const bType = pick('basic-type', 'Type');
  const bStatus = pick('basic-status', 'Status');
  const bAssignee = pick('basic-assignee', 'Assignee');
  const bText = h('input#basic-text', { type: 'search', placeholder: 'Contains text', 'aria-label': 'Text' });
  let basicLoaded = null;
  function loadBasic() {
    return (basicLoaded ||= Promise.all([
      api.get('/project'), api.get('/issuetype'), api.get('/status'),
      api.get('/jql/autocompletedata/suggestions?fieldName=assignee&fieldValue='),
    ]).then(([projects, types, statuses, users]) => {
      const opts = (sel, items) => sel.append(...items.map(([v, t]) => h('option', { value: v }, t)));
      opts(bProject, projects.map((p) => [p.key, `${p.name} (${p.key})`]));
      opts(bType, [...new Set(types.map((t) => t.name))].map((n) => [n, n]));
      opts(bStatus, [...new Set(statuses.map((t) => t.name))].map((n) => [n, n]));
      opts(bAssignee, [['currentUser()', 'Me'], ['EMPTY', 'Unassigned'], ...(users.results || []).map((u) => [u.value, plain(u.displayName)])]);
    }).catch((e) => { basicLoaded = null; throw e; }));
  }
  /** Sets the pickers from simple `field = value AND …` JQL; false when it is not that simple. */
  function fillBasic(q) {
    const { where } = splitOrderBy(q);
    const b = { project: '', type: '', status: '', assignee: '', text: '' };
    const clauses = where ? where.split(/\s+AND\s+/i) : [];
    for (const c of clauses) {
      const m = /^(project|issuetype|type|status|assignee|text)\s*(=|~|is)\s*(.+)$/i.exec(c.trim());
      if (!m) return false;
      let v = m[3].trim();
      if (/^".*"$/.test(v)) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
      const k = m[1].toLowerCase();
      if (k === 'assignee') b.assignee = /^empty$/i.test(v) ? 'EMPTY' : /^currentUser\(\)$/i.test(v) ? 'currentUser()' : v;
      else b[k === 'issuetype' ? 'type' : k] = v;
    }
    for (const [sel, v] of [[bProject, b.project], [bType, b.type], [bStatus, b.status], [bAssignee, b.assignee]]) {
      if (v && ![...sel.options].some((o) => o.value === v)) sel.append(h('option', { value: v }, v));
      sel.value = v;
    }
    bText.value = b.text;
    return true;
  }
  function applyBasic() {
    const q = basicJql({ project: bProject.value, type: bType.value, status: bStatus.value, assignee: bAssignee.value, text: bText.value }, orderClause(editor.value));
    editor.value = q;
    startAt = 0;
    run(q);
  }
  const orderClause = (q) => { const i = q.search(/\border\s+by\b/i); return i >= 0 ? q.slice(i).trim() : 'ORDER BY updated DESC'; };
  let textTimer;
  bText.addEventListener('input', () => { clearTimeout(textTimer); textTimer = setTimeout(applyBasic, 300); });
  append(basicBox, [bProject, bType, bStatus, bAssignee, bText, h('button.primary', { type: 'submit' }, 'Search')]);
  const modeButton = h('button.ghost#mode-toggle', { type: 'button', onclick: () => setMode(!basic) }, 'Basic');
  const searchBar = h('div.searchbar', editor.el, searchButton);
  async function setMode(toBasic) {
    const modeStatus = saveStatus;
    if (toBasic) {
      mount(modeStatus, spinner('Loading pickers…'));
      try { await loadBasic(); } catch (err) { mount(modeStatus, errorBox(err)); return; }
      mount(modeStatus);
      if (!fillBasic(editor.value)) {
        mount(modeStatus, h('div.warning', 'This query is too complex for the basic mode; the pickers start empty.'));
        fillBasic('');
      }
    }
    basic = toBasic;
    basicBox.hidden = !basic;
    searchBar.hidden = basic;
    modeButton.textContent = basic ? 'JQL' : 'Basic';
    modeButton.title = basic ? 'Switch to JQL' : 'Switch to basic search';
  }

  mount(
    el,
    h('div.page-head', h('h1', 'Issues'), filterName, count, h('span.grow'),
      modeButton,
      h('button.ghost#save-filter', { type: 'button', onclick: saveForm }, 'Save filter')),
    h('div.navigator',
      h('aside.filters-panel', filterList),
      h('div.nav-main', searchBar, basicBox, saveStatus, results)),
  );
  loadFilters();

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
    const url = `/issues?${filterId ? `filter=${enc(filterId)}&` : ''}jql=${encodeURIComponent(jql)}${startAt ? `&startAt=${startAt}` : ''}`;
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
    // For the speed budget: when the first page of results is on screen.
    if (!performance.getEntriesByName('navigator-results').length) performance.mark('navigator-results');
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
