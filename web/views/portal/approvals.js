// Approvals on a request: who decides, what they decided, and approve/decline buttons
// for an approver whose answer is awaited (`canAnswerApproval`).
import { h, mount, errorBox } from '../../dom.js';
import { sd, enc } from './jsm.js';

export function approvalsPanel(key, approvals, onChange) {
  if (!approvals.length) return null;
  return h('section.card.portal-approvals', h('h2', 'Approvals'), approvals.map((a) => one(key, a, onChange)));
}

function one(key, a, onChange) {
  const status = h('div.status');
  const decide = (decision) => async (e) => {
    e.target.disabled = true;
    try {
      await sd.post(`/request/${enc(key)}/approval/${enc(a.id)}`, { decision });
      await onChange();
    } catch (err) {
      mount(status, errorBox(err));
      e.target.disabled = false;
    }
  };
  return h('div.approval', { dataset: { id: a.id } },
    h('p', h('strong', a.name || 'Approval'), ' — ', h(`span.decision.${a.finalDecision}`, label(a.finalDecision))),
    h('ul.plain.approvers', (a.approvers || []).map((p) => h('li',
      p.approver ? p.approver.displayName : '', ': ', h(`span.decision.${p.approverDecision}`, label(p.approverDecision))))),
    a.canAnswerApproval && h('div.actions',
      h('button.primary#approve', { type: 'button', onclick: decide('approve') }, 'Approve'),
      h('button.ghost.danger#decline', { type: 'button', onclick: decide('decline') }, 'Decline')),
    status);
}

function label(d) {
  return { pending: 'Waiting for approval', approved: 'Approved', declined: 'Declined' }[d] || d || '';
}
