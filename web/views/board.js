// The Kanban board of one project: a column per status, drag a card to transition it.
import { api, enc } from '../api.js';
import { h, mount, link, spinner, errorBox } from '../dom.js';

const CATEGORY_ORDER = { new: 0, indeterminate: 1, done: 2 };

export async function boardView(el, [projectKey], { navigate, state }) {
  mount(el, spinner(`Loading the ${projectKey} board…`));
  const jql = `project = ${projectKey} ORDER BY updated DESC`;
  const [project, types, page] = await Promise.all([
    api.get(`/project/${enc(projectKey)}`),
    api.get(`/project/${enc(projectKey)}/statuses`),
    api.post('/search', { jql, maxResults: 500, fields: ['summary', 'status', 'issuetype', 'assignee', 'priority', 'labels'] }),
  ]);
  const statuses = new Map();
  for (const t of types) for (const s of t.statuses) if (!statuses.has(s.id)) statuses.set(s.id, s);
  const columns = [...statuses.values()].sort((a, b) =>
    (CATEGORY_ORDER[a.statusCategory.key] ?? 1) - (CATEGORY_ORDER[b.statusCategory.key] ?? 1) || Number(a.id) - Number(b.id));
  const flash = h('div.flash', { 'aria-live': 'polite' });
  const lists = new Map();
  let dragging = null;

  function card(issue) {
    const f = issue.fields;
    const c = h('article.card.issue-card', { draggable: 'true', tabindex: 0, dataset: { key: issue.key, assignee: f.assignee ? f.assignee.name : '', labels: (f.labels || []).join(' ') } },
      h('div.card-top', link(`/browse/${issue.key}`, issue.key), h('span.muted', f.issuetype ? f.issuetype.name : '')),
      h('p', f.summary),
      h('div.card-foot', f.priority ? h(`span.prio.prio-${f.priority.id}`, f.priority.name) : '', h('span.muted', f.assignee ? f.assignee.displayName : '')));
    c.addEventListener('dragstart', (e) => {
      dragging = { issue, card: c };
      e.dataTransfer.setData('text/plain', issue.key);
      e.dataTransfer.effectAllowed = 'move';
      c.classList.add('dragging');
    });
    c.addEventListener('dragend', () => c.classList.remove('dragging'));
    c.addEventListener('keydown', (e) => { if (e.key === 'Enter') navigate(`/browse/${issue.key}`); });
    return c;
  }

  function count(statusId) {
    const col = el.querySelector(`[data-status="${statusId}"] .col-count`);
    if (col) col.textContent = String(lists.get(statusId).querySelectorAll('.issue-card:not(.filtered-out)').length);
  }

  async function move(issue, cardEl, from, to) {
    if (from === to) return;
    const target = statuses.get(to);
    lists.get(to).prepend(cardEl);
    count(from); count(to);
    cardEl.classList.add('pending');
    mount(flash, spinner(`Moving ${issue.key} to ${target.name}…`));
    try {
      const { transitions } = await api.get(`/issue/${enc(issue.key)}/transitions`);
      const t = transitions.find((x) => x.to.id === to);
      if (!t) throw { messages: [`The workflow has no transition from ${issue.fields.status.name} to ${target.name} for ${issue.key}.`] };
      await api.post(`/issue/${enc(issue.key)}/transitions`, { transition: { id: t.id } });
      issue.fields.status = target;
      mount(flash, h('div.ok', `${issue.key} moved to ${target.name}.`));
    } catch (err) {
      lists.get(from).prepend(cardEl);
      count(from); count(to);
      mount(flash, errorBox(err));
    } finally {
      cardEl.classList.remove('pending');
    }
  }

  const board = h('div.board', columns.map((s) => {
    const list = h('div.col-cards');
    lists.set(s.id, list);
    const col = h(`section.column.cat-${s.statusCategory.key}`, { dataset: { status: s.id }, 'aria-label': s.name },
      h('header', h('h2', s.name), h('span.col-count', '0')), list);
    col.addEventListener('dragover', (e) => { if (dragging) { e.preventDefault(); col.classList.add('over'); } });
    col.addEventListener('dragleave', (e) => { if (!col.contains(e.relatedTarget)) col.classList.remove('over'); });
    col.addEventListener('drop', (e) => {
      e.preventDefault();
      col.classList.remove('over');
      if (!dragging) return;
      const { issue, card: c } = dragging;
      dragging = null;
      move(issue, c, issue.fields.status.id, s.id);
    });
    return col;
  }));
  for (const issue of page.issues || []) {
    const list = lists.get(issue.fields.status && issue.fields.status.id);
    if (list) list.append(card(issue));
  }
  // Quick filters (assignee = currentUser(), labels): applied in the page, no new request.
  const active = { mine: false, labels: new Set() };
  const labels = [...new Set((page.issues || []).flatMap((i) => i.fields.labels || []))].sort();
  function applyFilters() {
    for (const c of el.querySelectorAll('.issue-card')) {
      const cardLabels = c.dataset.labels ? c.dataset.labels.split(' ') : [];
      const hide = (active.mine && c.dataset.assignee !== state.me.name)
        || (active.labels.size && !cardLabels.some((l) => active.labels.has(l)));
      c.classList.toggle('filtered-out', hide);
    }
    columns.forEach((s) => count(s.id));
  }
  const toggle = (label, dataset, on) => h('button.ghost.quick', {
    type: 'button', 'aria-pressed': 'false', dataset,
    onclick: (e) => { const now = on(); e.currentTarget.setAttribute('aria-pressed', String(now)); applyFilters(); },
  }, label);
  const quick = h('div.quick-filters', { role: 'group', 'aria-label': 'Quick filters' }, h('span.muted', 'Quick filters:'),
    toggle('Only my issues', { quick: 'mine' }, () => (active.mine = !active.mine)),
    labels.map((l) => toggle(l, { quick: 'label', label: l }, () => {
      if (active.labels.has(l)) active.labels.delete(l); else active.labels.add(l);
      return active.labels.has(l);
    })));

  mount(el,
    h('div.page-head', h('h1', `${project.name} board`), h('span.count', page.total === 1 ? '1 issue' : `${page.total} issues`),
      h('span.grow'), link(`/issues?jql=${enc(jql)}`, 'List view')),
    quick,
    flash,
    page.issues && page.issues.length ? null : h('div.empty', h('p', 'No issues in this project yet. Press ', h('kbd', 'c'), ' to create one.')),
    board);
  columns.forEach((s) => count(s.id));
  return { projectKey };
}
