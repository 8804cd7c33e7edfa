// A desk's queues for its agents: the queue list with counts beside the chosen queue's
// issues, each with its SLA timers.
import { h, mount, link, spinner, errorBox, lozenge } from '../../dom.js';
import { sd, enc } from '../portal/jsm.js';
import { slaList } from './sla.js';

/** Rows whose SLAs are fetched: one request per row, so a screenful. */
const SLA_ROWS = 50;

export async function deskQueuesView(el, [deskId, queueId], { navigate }) {
  mount(el, spinner('Loading queues…'));
  const [desk, queues] = await Promise.all([
    sd.get(`/servicedesk/${enc(deskId)}`),
    sd.all(`/servicedesk/${enc(deskId)}/queue?includeCount=true`),
  ]);
  if (!queueId && queues.length) {
    navigate(`/desk/${enc(deskId)}/queues/${enc(queues[0].id)}`, { replace: true });
    return {};
  }
  const queue = queues.find((q) => q.id === queueId);
  const body = h('div.queue-body');
  mount(el,
    h('div.page-head', h('h1', `${desk.projectName}: queues`), h('span.grow'),
      link(`/portal/${enc(deskId)}`, 'Customer portal'), ' ', link(`/desk/${enc(deskId)}/settings`, 'Settings')),
    h('div.desk-layout',
      h('nav.queue-list', { 'aria-label': 'Queues' }, h('ul.plain', queues.map((q) => h(`li${q.id === queueId ? '.active' : ''}`,
        link(`/desk/${enc(deskId)}/queues/${enc(q.id)}`, h('span', q.name), h('span.count', q.issueCount ?? '')))))),
      body));
  if (!queue) {
    mount(body, h('div.empty', h('p', queues.length ? `There is no queue ${queueId}.` : 'This desk has no queues.')));
    return {};
  }
  mount(body, spinner('Loading issues…'));
  try {
    const issues = await sd.all(`/servicedesk/${enc(deskId)}/queue/${enc(queueId)}/issue`, 200);
    if (!issues.length) {
      mount(body, h('h2', queue.name), h('div.empty', h('p', 'Nothing in this queue. Well done.')));
      return {};
    }
    const cells = new Map();
    mount(body, h('h2', queue.name, h('span.count', ` ${issues.length}`)),
      h('table.grid.queue-issues',
        h('thead', h('tr', h('th', 'Key'), h('th', 'Summary'), h('th', 'Reporter'), h('th', 'Status'), h('th', 'SLA'))),
        h('tbody', issues.map((i) => {
          const f = i.fields || {};
          const sla = h('td.col-sla', h('span.muted', '…'));
          cells.set(i.key, sla);
          const href = `/desk/${enc(deskId)}/request/${enc(i.key)}`;
          return h('tr', { dataset: { key: i.key } },
            h('td.mono', link(href, i.key)),
            h('td', link(href, f.summary || '')),
            h('td', f.reporter ? f.reporter.displayName : ''),
            h('td', lozenge(f.status)),
            sla);
        }))));
    await Promise.all(issues.slice(0, SLA_ROWS).map(async (i) => {
      const cell = cells.get(i.key);
      try {
        mount(cell, slaList(await sd.all(`/request/${enc(i.key)}/sla`)));
      } catch {
        mount(cell, h('span.muted', '—'));
      }
    }));
  } catch (e) {
    mount(body, errorBox(e));
  }
  return {};
}

/** `/desk`: the desks whose queues the caller works; with one, straight to its queues. */
export async function desksView(el, _params, { navigate }) {
  mount(el, spinner('Loading service desks…'));
  const desks = await sd.all('/servicedesk');
  const mine = [];
  for (const d of desks) {
    if (await sd.get(`/servicedesk/${enc(d.id)}/queue?limit=1`).then(() => true, () => false)) mine.push(d);
  }
  if (mine.length === 1) {
    navigate(`/desk/${enc(mine[0].id)}`, { replace: true });
    return {};
  }
  mount(el, h('div.page-head', h('h1', 'Service desks')),
    mine.length
      ? h('ul.portal-cards', mine.map((d) => h('li.portal-card', link(`/desk/${enc(d.id)}`,
        h('span.rt-icon', { 'aria-hidden': 'true' }, (d.projectName || '?').charAt(0).toUpperCase()),
        h('span.card-text', h('strong', d.projectName), h('span.muted', `${d.projectKey} · queues`))))))
      : h('div.empty', h('p', 'No service desk has you on its team.')));
  return {};
}
