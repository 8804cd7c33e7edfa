// What an agent gets on a request besides the conversation: the SLA timers, the
// workflow's transitions (`request/{key}/transition`) and a link to the full issue.
import { h, mount, link, errorBox } from '../../dom.js';
import { sd, enc } from '../portal/jsm.js';
import { slaTimer } from './sla.js';

export async function agentPanel(r, slas, onChange) {
  const key = r.issueKey;
  const transitions = await sd.all(`/request/${enc(key)}/transition`).catch(() => []);
  const status = h('div.status');
  const move = (t) => async (e) => {
    e.target.disabled = true;
    try {
      await sd.post(`/request/${enc(key)}/transition`, { id: t.id });
      await onChange();
    } catch (err) {
      mount(status, errorBox(err));
      e.target.disabled = false;
    }
  };
  return [
    h('section.card.agent-slas', h('h3', 'SLAs'),
      slas.length ? h('ul.plain.sla-rows', slas.map((m) => h('li', slaTimer(m)))) : h('p.muted.small', 'No SLAs apply.')),
    h('section.card.agent-actions', h('h3', 'Workflow'),
      transitions.length
        ? h('div.transitions', transitions.map((t) => h('button.ghost.transition', { type: 'button', dataset: { id: t.id }, onclick: move(t) }, t.name)))
        : h('p.muted.small', 'No transitions.'),
      status,
      h('p.small', link(`/browse/${enc(key)}`, 'Open the issue view'))),
  ];
}
