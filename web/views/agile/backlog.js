// The scrum backlog: the active and future sprints as sections with their issues, the
// backlog below. Issues move between sections by drag and drop or their "Move to" menu,
// reorder by rank (drag within a list, or the up/down buttons → `PUT issue/rank`).
// Every change reloads the lists from the server, so what shows is what was saved.
import { h, mount, spinner, errorBox } from '../../dom.js';
import { agile, allIssues, sprints, points, sprintDates } from './client.js';
import { backlogRow } from './card.js';
import { epicsPanel, loadEpics } from './epics.js';
import { startSprintDialog, completeSprintDialog } from './dialogs.js';

export async function backlogView(el, ctx, { flash, navigate }) {
  const id = ctx.board.id;
  let epicFilter = null; // null: all, '': without epic, key: that epic's issues
  let epics = [];
  let closed = 0; // new sprints are numbered on from all the board's sprints
  const names = new Map(); // sprint id → name, for the messages
  const byEpic = (key) => {
    const e = epics.find((x) => x.key === key);
    return e ? { name: e.name || e.summary || key, color: e.color && e.color.key } : { name: key };
  };

  async function load() {
    const [every, backlog, ep] = await Promise.all([
      sprints(id, ['active', 'future', 'closed']),
      allIssues(`/board/${id}/backlog`, ctx),
      loadEpics(id).catch(() => []),
    ]);
    epics = ep;
    const list = every.filter((s) => s.state !== 'closed');
    closed = every.length - list.length;
    const withIssues = await Promise.all(list.map(async (s) => ({ sprint: s, issues: await allIssues(`/sprint/${s.id}/issue`, ctx) })));
    // Active first, then future sprints in the board's order.
    withIssues.sort((a, b) => (a.sprint.state === 'active' ? 0 : 1) - (b.sprint.state === 'active' ? 0 : 1));
    // Epics live in the epics panel, as in Jira, not among the backlog's issues.
    const notEpic = (i) => !(i.fields.issuetype && i.fields.issuetype.name === 'Epic');
    return { sections: withIssues, backlog: backlog.filter(notEpic) };
  }

  async function act(what, fn, focus, done) {
    mount(flash, spinner(`${what}…`));
    try {
      await fn();
      mount(flash, h('div.ok', done || `${what}: done.`));
    } catch (err) {
      mount(flash, errorBox(err));
    }
    await render(focus);
  }

  // Moves `key` into a section (a sprint id, or 'backlog'), ranked before `before` when given.
  function moveTo(key, target, before) {
    const rank = before && before !== key ? { rankBeforeIssue: before } : {};
    if (target === 'backlog') {
      return act(`Moving ${key} to the backlog`, async () => {
        await agile.post('/backlog/issue', { issues: [key] });
        if (rank.rankBeforeIssue) await agile.put('/issue/rank', { issues: [key], ...rank });
      }, { key }, `${key} moved to the backlog.`);
    }
    const name = names.get(String(target)) || 'the sprint';
    return act(`Moving ${key} to ${name}`, () => agile.post(`/sprint/${target}/issue`, { issues: [key], ...rank }), { key }, `${key} moved to ${name}.`);
  }

  function rank(key, body, focus) {
    const done = body.rankBeforeIssue ? `${key} ranked above ${body.rankBeforeIssue}.` : `${key} ranked below ${body.rankAfterIssue}.`;
    return act(`Ranking ${key}`, () => agile.put('/issue/rank', { issues: [key], ...body }), focus, done);
  }

  let dragging = null;
  function section(title, target, issues, all, head) {
    const visible = issues.filter((i) => epicFilter == null || ((ctx.epicLink && i.fields[ctx.epicLink]) || '') === epicFilter);
    const sum = issues.reduce((n, i) => n + (points(i, ctx) || 0), 0);
    const list = h('ol.bl-list', { 'aria-label': `${title} issues` });
    visible.forEach((issue, n) => {
      const row = backlogRow(issue, ctx, byEpic);
      const key = issue.key;
      const prev = visible[n - 1];
      const next = visible[n + 1];
      const menu = h('select.move-to', { 'aria-label': `Move ${key} to` },
        h('option', { value: '' }, 'Move to…'),
        all.filter((t) => t.target !== target).map((t) => h('option', { value: String(t.target) }, t.title)));
      menu.addEventListener('change', () => { if (menu.value) moveTo(key, menu.value); });
      row.append(h('span.bl-actions',
        h('button.ghost.icon.rank-up', { type: 'button', disabled: !prev, 'aria-label': `Rank ${key} up`, title: 'Rank up',
          onclick: () => rank(key, { rankBeforeIssue: prev.key }, { key, cls: 'rank-up' }) }, '↑'),
        h('button.ghost.icon.rank-down', { type: 'button', disabled: !next, 'aria-label': `Rank ${key} down`, title: 'Rank down',
          onclick: () => rank(key, { rankAfterIssue: next.key }, { key, cls: 'rank-down' }) }, '↓'),
        menu));
      row.addEventListener('keydown', (e) => { if (e.target === row && e.key === 'Enter') navigate(`/browse/${key}`); });
      row.addEventListener('dragstart', (e) => {
        dragging = { key, from: target };
        e.dataTransfer.setData('text/plain', key);
        e.dataTransfer.effectAllowed = 'move';
        row.classList.add('dragging');
      });
      row.addEventListener('dragend', () => row.classList.remove('dragging'));
      row.addEventListener('dragover', (e) => { if (dragging) { e.preventDefault(); row.classList.add('drop-before'); } });
      row.addEventListener('dragleave', () => row.classList.remove('drop-before'));
      row.addEventListener('drop', (e) => {
        e.preventDefault();
        e.stopPropagation();
        row.classList.remove('drop-before');
        if (!dragging || dragging.key === key) return;
        const d = dragging;
        dragging = null;
        if (d.from === target) rank(d.key, { rankBeforeIssue: key }, { key: d.key });
        else moveTo(d.key, target, key);
      });
      list.append(row);
    });
    const box = h(`section.bl-section${target === 'backlog' ? '.bl-backlog' : ''}`, { dataset: { target: String(target) }, 'aria-label': title },
      h('header.bl-head', h('h2', title), head,
        h('span.muted.bl-count', `${issues.length === 1 ? '1 issue' : `${issues.length} issues`}${sum ? ` · ${sum} pts` : ''}`),
        h('span.grow'), ...(head && head.actions ? head.actions : [])),
      visible.length ? list : h('p.bl-empty.muted', issues.length ? 'No issue matches the epic filter.' : target === 'backlog' ? 'The backlog is empty.' : 'Plan this sprint: drag issues here or use an issue’s “Move to…” menu.'));
    box.addEventListener('dragover', (e) => { if (dragging) { e.preventDefault(); box.classList.add('over'); } });
    box.addEventListener('dragleave', (e) => { if (!box.contains(e.relatedTarget)) box.classList.remove('over'); });
    box.addEventListener('drop', (e) => {
      e.preventDefault();
      box.classList.remove('over');
      if (!dragging) return;
      const d = dragging;
      dragging = null;
      if (d.from !== target) moveTo(d.key, target);
    });
    return box;
  }

  async function render(focus) {
    let data;
    try {
      data = await load();
    } catch (err) {
      mount(el, errorBox(err));
      return;
    }
    const { sections, backlog } = data;
    const active = sections.find((s) => s.sprint.state === 'active');
    const futures = sections.filter((s) => s.sprint.state === 'future');
    for (const { sprint } of sections) names.set(String(sprint.id), sprint.name);
    const targets = [...sections.map((s) => ({ target: s.sprint.id, title: s.sprint.name })), { target: 'backlog', title: 'Backlog' }];
    const parts = sections.map(({ sprint, issues }) => {
      const dates = sprint.startDate ? h('span.muted.bl-dates', sprintDates(sprint)) : null;
      const goal = sprint.goal ? h('span.bl-goal', sprint.goal) : null;
      const state = h(`span.sprint-state.${sprint.state}`, sprint.state === 'active' ? 'Active' : 'Future');
      const actions = [];
      if (sprint.state === 'active') {
        actions.push(h('button.ghost.complete-sprint', { type: 'button', onclick: () => completeSprintDialog(sprint, issues, futures[0] && futures[0].sprint, () => render()) }, 'Complete sprint'));
      } else if (!active && sprint === futures[0].sprint) {
        actions.push(h('button.primary.start-sprint', { type: 'button', onclick: () => startSprintDialog(sprint, issues.length, () => render()) }, 'Start sprint'));
      }
      const head = h('span.bl-meta', state, dates, goal);
      head.actions = actions;
      return section(sprint.name, sprint.id, issues, targets, head);
    });
    const newName = `${ctx.projectKey} Sprint ${sections.length + closed + 1}`;
    const create = h('button.ghost.create-sprint', { type: 'button', onclick: () => act('Creating a sprint', () => agile.post('/sprint', {
      name: newName, originBoardId: id,
    }), null, `${newName} created: move issues into it, then start it.`) }, 'Create sprint');
    const blHead = h('span.bl-meta');
    blHead.actions = [create];
    const panel = epicsPanel(epics, epicFilter, (v) => { epicFilter = v; render({ epic: v == null ? '*' : v }); });
    mount(el, h('div.backlog-layout', panel, h('div.backlog-lists', parts, section('Backlog', 'backlog', backlog, targets, blHead))));
    if (focus) {
      const sel = focus.epic != null ? `.epic-pick[data-epic="${CSS.escape(focus.epic)}"]`
        : `.bl-row[data-key="${CSS.escape(focus.key)}"]${focus.cls ? ` .${focus.cls}` : ''}`;
      let target = el.querySelector(sel);
      if (target && target.disabled) target = target.closest('.bl-row');
      if (target) target.focus();
    }
  }
  mount(el, spinner('Loading the backlog…'));
  await render();
}
