// An issue on a board: the column card (key, type, summary, priority, assignee, story
// points) and the compact backlog row; both carry the data the filters read.
import { h, link } from '../../dom.js';
import { points } from './client.js';

function data(issue, ctx) {
  const f = issue.fields;
  return {
    key: issue.key,
    assignee: f.assignee ? f.assignee.name : '',
    labels: (f.labels || []).join(' '),
    epic: (ctx.epicLink && f[ctx.epicLink]) || '',
  };
}

export function pointsBadge(issue, ctx) {
  const p = points(issue, ctx);
  return h('span.points', { title: 'Story points', 'aria-label': p == null ? 'No estimate' : `${p} story points` }, p == null ? '–' : String(p));
}

export function boardCard(issue, ctx) {
  const f = issue.fields;
  return h('article.card.issue-card', { draggable: 'true', tabindex: 0, dataset: data(issue, ctx), 'aria-label': `${issue.key} ${f.summary}` },
    h('div.card-top', link(`/browse/${issue.key}`, issue.key), h('span.muted', f.issuetype ? f.issuetype.name : '')),
    h('p', f.summary),
    h('div.card-foot',
      f.priority ? h(`span.prio.prio-${f.priority.id}`, f.priority.name) : h('span'),
      h('span.muted.assignee', f.assignee ? f.assignee.displayName : 'Unassigned'),
      pointsBadge(issue, ctx)));
}

export function backlogRow(issue, ctx, epicName) {
  const f = issue.fields;
  const epic = data(issue, ctx).epic;
  return h('li.bl-row.issue-card', { draggable: 'true', tabindex: 0, dataset: data(issue, ctx), 'aria-label': `${issue.key} ${f.summary}` },
    h('span.bl-type.muted', f.issuetype ? f.issuetype.name : ''),
    link(`/browse/${issue.key}`, issue.key),
    h('span.bl-summary', f.summary),
    epic ? h('span.epic-tag', { dataset: { color: epicName(epic).color || '' }, title: `Epic: ${epicName(epic).name}` }, epicName(epic).name) : h('span'),
    f.status ? h(`span.lozenge.cat-${(f.status.statusCategory && f.status.statusCategory.key) || 'new'}`, f.status.name) : null,
    h('span.muted.assignee', f.assignee ? f.assignee.displayName : ''),
    pointsBadge(issue, ctx));
}
