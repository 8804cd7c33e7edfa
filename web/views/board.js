// The agile board of a project (`/board/{projectKey}`, `?board={id}` picks one of several):
// a scrum board has the Active sprint board and the Backlog (`/board/{key}/backlog`); a
// kanban board shows its columns over all the board's issues. The pieces live in agile/.
import { enc } from '../api.js';
import { h, mount, link, spinner } from '../dom.js';
import { loadContext, allIssues, sprints, jiraDate, sprintDates } from './agile/client.js';
import { columnBoard } from './agile/columns.js';
import { backlogView } from './agile/backlog.js';
import { completeSprintDialog } from './agile/dialogs.js';

export async function boardView(el, [projectKey, tab], { navigate, state }) {
  mount(el, spinner(`Loading the ${projectKey} board…`));
  const boardParam = new URLSearchParams(location.search).get('board');
  const ctx = await loadContext(projectKey, boardParam);
  const scrum = ctx.board.type === 'scrum';
  const q = boardParam ? `?board=${enc(boardParam)}` : '';
  const flash = h('div.flash', { 'aria-live': 'polite' });
  const body = h('div.board-body');
  const tabs = scrum ? h('nav.board-tabs', { 'aria-label': 'Board views' },
    link(`/board/${projectKey}/backlog${q}`, 'Backlog'),
    link(`/board/${projectKey}${q}`, 'Active sprint')) : null;
  if (tabs) {
    const here = tab === 'backlog' ? 0 : 1;
    tabs.querySelectorAll('a').forEach((a, i) => { if (i === here) { a.setAttribute('aria-current', 'page'); a.classList.add('current'); } });
  }
  const title = h('h1', ctx.board.name || `${ctx.project.name} board`);
  const head = h('div.page-head', title, h('span.count.board-type', scrum ? 'Scrum board' : 'Kanban board'), h('span.grow'),
    ctx.boards.length > 1 ? h('select.board-pick', { 'aria-label': 'Board', onchange: (e) => navigate(`/board/${projectKey}?board=${e.target.value}`) },
      ctx.boards.map((b) => h('option', { value: b.id, selected: b.id === ctx.board.id }, b.name))) : null,
    link(`/issues?jql=${enc(`project = ${projectKey} ORDER BY Rank`)}`, 'List view'));
  mount(el, head, tabs, flash, body);

  if (scrum && tab === 'backlog') {
    await backlogView(body, ctx, { flash, navigate, state });
    return { projectKey };
  }
  if (tab === 'backlog') {
    mount(body, h('div.empty', h('p', 'A kanban board has no backlog: its columns hold all the board’s issues.'), link(`/board/${projectKey}${q}`, 'Open the board')));
    return { projectKey };
  }

  async function show() {
    mount(body, spinner('Loading issues…'));
    let issues;
    let banner = null;
    if (scrum) {
      const [active] = await sprints(ctx.board.id, ['active']);
      if (active) {
        issues = await allIssues(`/sprint/${active.id}/issue`, ctx);
        const future = await sprints(ctx.board.id, ['future']);
        const left = active.endDate ? Math.ceil((jiraDate(active.endDate) - Date.now()) / 86400000) : null;
        banner = h('div.sprint-banner', { 'aria-label': 'Active sprint' },
          h('h2', active.name),
          active.goal ? h('span.bl-goal', active.goal) : null,
          active.startDate ? h('span.muted.sprint-dates', sprintDates(active)) : null,
          left != null ? h('span.muted.days-left', left >= 0 ? `${left} day${left === 1 ? '' : 's'} remaining` : 'Past its end date') : null,
          h('span.grow'),
          h('button.ghost.complete-sprint', { type: 'button', onclick: () => completeSprintDialog(active, issues, future[0], show) }, 'Complete sprint'));
      } else {
        issues = await allIssues(`/board/${ctx.board.id}/issue`, ctx);
        banner = h('div.sprint-banner.none', h('p', 'No sprint is active, so the board shows all its issues. ',
          link(`/board/${projectKey}/backlog${q}`, 'Plan and start a sprint in the backlog'), '.'));
      }
    } else {
      issues = await allIssues(`/board/${ctx.board.id}/issue`, ctx);
    }
    const cb = columnBoard(issues, ctx, { state, flash, navigate });
    mount(body, banner, issues.length ? null : h('div.empty', h('p', 'No issues here yet. Press ', h('kbd', 'c'), ' to create one.')), cb.el);
    cb.refresh();
  }
  await show();
  return { projectKey };
}
