// The agile REST client and the board's context: the board of a project, its column
// configuration, the Story Points and Epic Link field ids, and whole issue lists.
import { request, api, enc } from '../../api.js';

const A = (p) => `/rest/agile/1.0${p}`;
export const agile = {
  get: (p) => request('GET', A(p)),
  post: (p, b) => request('POST', A(p), b),
  put: (p, b) => request('PUT', A(p), b),
};

/** Everything a board screen needs once: board, columns (with status beans), field ids. */
export async function loadContext(projectKey, boardId) {
  const boards = await agile.get(`/board?projectKeyOrId=${enc(projectKey)}`);
  const all = boards.values || [];
  const board = all.find((b) => String(b.id) === String(boardId)) || all[0];
  if (!board) throw { messages: [`Project ${projectKey} has no board.`] };
  const [config, fields, statuses, project] = await Promise.all([
    agile.get(`/board/${board.id}/configuration`),
    api.get('/field'),
    api.get('/status'),
    api.get(`/project/${enc(projectKey)}`),
  ]);
  const byId = new Map(statuses.map((s) => [String(s.id), s]));
  const columns = ((config.columnConfig && config.columnConfig.columns) || []).map((c) => ({
    name: c.name,
    statuses: (c.statuses || []).map((s) => byId.get(String(s.id))).filter(Boolean),
  }));
  const fieldId = (name) => (fields.find((f) => f.name === name) || {}).id;
  return {
    board, boards: all, columns, project, projectKey,
    points: (config.estimation && config.estimation.field && config.estimation.field.fieldId) || fieldId('Story Points'),
    epicLink: fieldId('Epic Link'),
  };
}

/** The fields every card shows. */
export function cardFields(ctx) {
  return ['summary', 'status', 'issuetype', 'priority', 'assignee', 'labels', ctx.points, ctx.epicLink].filter(Boolean);
}

/** All issues of an agile issue listing, following the pages. */
export async function allIssues(path, ctx, jql) {
  const out = [];
  const q = `fields=${enc(cardFields(ctx).join(','))}${jql ? `&jql=${enc(jql)}` : ''}`;
  for (let start = 0; ; ) {
    const page = await agile.get(`${path}${path.includes('?') ? '&' : '?'}${q}&startAt=${start}&maxResults=200`);
    const got = page.issues || [];
    out.push(...got);
    start += got.length;
    if (!got.length || start >= page.total) return out;
  }
}

/** All sprints of a board in the given states (future, active, closed). */
export async function sprints(boardId, states) {
  const out = [];
  for (let start = 0; ; ) {
    const page = await agile.get(`/board/${boardId}/sprint?state=${states.join(',')}&startAt=${start}&maxResults=50`);
    out.push(...(page.values || []));
    start += (page.values || []).length;
    if (page.isLast !== false || !(page.values || []).length) return out;
  }
}

export const points = (issue, ctx) => {
  const v = ctx.points ? issue.fields[ctx.points] : null;
  return typeof v === 'number' ? v : null;
};

export const isDone = (issue) => !!(issue.fields.status && issue.fields.status.statusCategory && issue.fields.status.statusCategory.key === 'done');

/** Jira's `2026-01-31T14:00:00.000+0000` as a Date (the offset needs a colon for JS). */
export const jiraDate = (s) => new Date(String(s).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

/** A sprint's date range, always as dates (a time of day alone reads as a range of hours). */
export function sprintDates(sprint) {
  if (!sprint.startDate) return '';
  const f = (d) => jiraDate(d).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  return `${f(sprint.startDate)} – ${sprint.endDate ? f(sprint.endDate) : '…'}`;
}
