// The column board (an active sprint, or a kanban board's issues): a column per board
// column holding its statuses; dragging a card to another column (or its "Move to"
// menu) runs the workflow transition into one of that column's statuses.
import { api, enc } from '../../api.js';
import { h, mount, spinner, errorBox } from '../../dom.js';
import { boardCard } from './card.js';
import { points } from './client.js';

const CATEGORY_ORDER = { new: 0, indeterminate: 1, done: 2 };

export function columnBoard(issues, ctx, { state, flash, navigate }) {
  const columns = ctx.columns.filter((c) => c.statuses.length);
  const lists = columns.map(() => h('div.col-cards'));
  const columnOf = (issue) => columns.findIndex((c) => c.statuses.some((s) => String(s.id) === String(issue.fields.status && issue.fields.status.id)));
  let dragging = null;

  function count() {
    columns.forEach((c, i) => {
      const shown = [...lists[i].querySelectorAll('.issue-card:not(.filtered-out)')];
      const sum = shown.reduce((n, el) => n + (Number(el.dataset.points) || 0), 0);
      const head = el.querySelectorAll('.column')[i];
      head.querySelector('.col-count').textContent = String(shown.length);
      head.querySelector('.col-points').textContent = sum ? `${sum} pts` : '';
    });
  }

  async function move(issue, cardEl, to) {
    const from = columnOf(issue);
    if (from === to || to < 0) return;
    const col = columns[to];
    lists[to].prepend(cardEl);
    count();
    cardEl.classList.add('pending');
    mount(flash, spinner(`Moving ${issue.key} to ${col.name}…`));
    try {
      const { transitions } = await api.get(`/issue/${enc(issue.key)}/transitions`);
      const t = col.statuses.map((s) => transitions.find((x) => String(x.to.id) === String(s.id))).find(Boolean);
      if (!t) throw { messages: [`The workflow has no transition from ${issue.fields.status.name} to ${col.name} for ${issue.key}.`] };
      await api.post(`/issue/${enc(issue.key)}/transitions`, { transition: { id: t.id } });
      issue.fields.status = col.statuses.find((s) => String(s.id) === String(t.to.id)) || t.to;
      mount(flash, h('div.ok', `${issue.key} moved to ${col.name}.`));
    } catch (err) {
      if (from >= 0) lists[from].prepend(cardEl);
      mount(flash, errorBox(err));
    } finally {
      cardEl.classList.remove('pending');
      count();
    }
  }

  function card(issue) {
    const c = boardCard(issue, ctx);
    const p = points(issue, ctx);
    if (p != null) c.dataset.points = String(p);
    c.addEventListener('dragstart', (e) => {
      dragging = { issue, card: c };
      e.dataTransfer.setData('text/plain', issue.key);
      e.dataTransfer.effectAllowed = 'move';
      c.classList.add('dragging');
    });
    c.addEventListener('dragend', () => c.classList.remove('dragging'));
    c.addEventListener('keydown', (e) => {
      if (e.target !== c) return;
      if (e.key === 'Enter') navigate(`/browse/${issue.key}`);
      // The keyboard's drag: Shift+←/→ moves the card one column.
      if (e.shiftKey && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
        e.preventDefault();
        move(issue, c, columnOf(issue) + (e.key === 'ArrowRight' ? 1 : -1)).then(() => c.focus());
      }
    });
    const menu = h('select.move-column', { 'aria-label': `Move ${issue.key} to column` },
      h('option', { value: '' }, 'Move to…'),
      columns.map((col, i) => h('option', { value: String(i) }, col.name)));
    menu.addEventListener('change', () => {
      const raw = menu.value;
      menu.value = '';
      if (raw === '') return;
      move(issue, c, Number(raw)).then(() => c.focus());
    });
    c.querySelector('.card-foot').append(menu);
    return c;
  }

  const board = h('div.board', columns.map((col, i) => {
    const cat = col.statuses.map((s) => s.statusCategory && s.statusCategory.key).sort((a, b) => (CATEGORY_ORDER[b] ?? 1) - (CATEGORY_ORDER[a] ?? 1))[0] || 'new';
    const section = h(`section.column.cat-${cat}`, { dataset: { status: col.statuses[0].id, statuses: col.statuses.map((s) => s.id).join(' ') }, 'aria-label': col.name },
      h('header', h('h2', col.name), h('span.col-meta', h('span.col-points'), h('span.col-count', '0'))),
      lists[i]);
    section.addEventListener('dragover', (e) => { if (dragging) { e.preventDefault(); section.classList.add('over'); } });
    section.addEventListener('dragleave', (e) => { if (!section.contains(e.relatedTarget)) section.classList.remove('over'); });
    section.addEventListener('drop', (e) => {
      e.preventDefault();
      section.classList.remove('over');
      if (!dragging) return;
      const { issue, card: c } = dragging;
      dragging = null;
      move(issue, c, i);
    });
    return section;
  }));
  for (const issue of issues) {
    const i = columnOf(issue);
    if (i >= 0) lists[i].append(card(issue));
  }

  // Quick filters (assignee = currentUser(), labels): applied in the page, no new request.
  const active = { mine: false, labels: new Set() };
  const labels = [...new Set(issues.flatMap((i) => i.fields.labels || []))].sort();
  function applyFilters() {
    for (const c of board.querySelectorAll('.issue-card')) {
      const cardLabels = c.dataset.labels ? c.dataset.labels.split(' ') : [];
      const hide = (active.mine && c.dataset.assignee !== state.me.name)
        || (active.labels.size && !cardLabels.some((l) => active.labels.has(l)));
      c.classList.toggle('filtered-out', hide);
    }
    count();
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
  const el = h('div.column-board', quick, board);
  return { el, refresh: count };
}
