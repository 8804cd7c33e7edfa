// One request as the portal shows it: the fields the requester filled in, its status,
// the conversation, attachments, approvals and, once resolved, the rating. For an agent
// (someone who may read the request's SLAs) the desk's panel adds SLAs, transitions and
// internal notes.
import { h, mount, link, spinner, errorBox, trustedHtml } from '../../dom.js';
import { sd, enc } from './jsm.js';
import { portalHead, requestStatus, fieldValue } from './nav.js';
import { conversation } from './conversation.js';
import { approvalsPanel } from './approvals.js';
import { feedbackPanel } from './feedback.js';
import { agentPanel } from '../desk/agent.js';

export async function portalRequestView(el, [key], { state }) {
  mount(el, spinner('Loading the request…'));
  const render = async () => {
    const base = `/request/${enc(key)}`;
    const [r, comments, approvals, slas] = await Promise.all([
      sd.get(`${base}?expand=requestType,serviceDesk,participant,attachment,action`),
      sd.all(`${base}/comment?expand=renderedBody`),
      sd.all(`${base}/approval`).catch(() => []),
      // Customers are refused SLAs: that answer is what tells the views apart.
      sd.all(`${base}/sla`).catch((e) => (e.status === 403 ? null : Promise.reject(e))),
    ]);
    const agent = slas !== null;
    const mine = r.reporter && state.me && r.reporter.name === state.me.name;
    const done = r.currentStatus && r.currentStatus.statusCategory === 'DONE';
    const desc = (r.requestFieldValues || []).find((f) => f.fieldId === 'description');
    const deskName = r.serviceDesk ? r.serviceDesk.projectName : 'Service desk';
    const crumbs = agent
      ? [link(`/desk/${enc(r.serviceDeskId)}`, `${deskName} queues`), link(`/browse/${enc(r.issueKey)}`, r.issueKey)]
      : [link('/portal', 'Help center'), link(`/portal/${enc(r.serviceDeskId)}`, deskName), link('/portal/requests', 'My requests')];
    const other = (r.requestFieldValues || []).filter((f) => !['summary', 'description'].includes(f.fieldId) && show(f.value));
    mount(el,
      portalHead(fieldValue(r, 'summary') || r.issueKey, null, crumbs),
      h('div.portal-request',
        h('div.request-main',
          h('p.request-meta', h('span.mono.request-key', r.issueKey), ' · ',
            r.reporter ? `Raised by ${r.reporter.displayName}` : '', ' · ', r.createdDate ? r.createdDate.friendly : '',
            r.requestType ? [' · ', r.requestType.name] : ''),
          desc && desc.renderedValue ? trustedHtml('markup.request-description', desc.renderedValue.html) : null,
          other.length ? h('dl.request-fields', other.map((f) => [h('dt', f.label), h('dd', show(f.value))])) : null,
          approvalsPanel(key, approvals, render),
          conversation(key, comments, { agent, onChange: render }),
          done && mine ? await feedbackPanel(key, render) : null),
        h('aside.request-side',
          h('section.card', h('h3', 'Status'), requestStatus(r.currentStatus)),
          agent ? await agentPanel(r, slas, render) : null,
          attachments(r, render),
          participants(r))));
  };
  await render();
  return {};
}

function show(v) {
  if (v == null || v === '') return '';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? x.name || x.displayName || x.value : x)).join(', ');
  if (typeof v === 'object') return v.name || v.value || v.displayName || '';
  return String(v);
}

function attachments(r, onChange) {
  const list = (r.attachments && r.attachments.values) || [];
  const input = h('input#portal-attach', { type: 'file', multiple: true, 'aria-label': 'Attach files' });
  const status = h('div.status');
  return h('section.card.portal-attachments',
    h('h3', 'Attachments'),
    list.length
      ? h('ul.plain.attachment-list', list.map((a) => h('li', h('a', { href: a._links.content, target: '_blank', rel: 'noopener' }, a.filename), h('span.muted.small', ` ${size(a.size)}`))))
      : h('p.muted.small', 'No attachments.'),
    h('form.attach-form', {
      onsubmit: async (e) => {
        e.preventDefault();
        if (!input.files.length) return;
        mount(status, 'Uploading…');
        try {
          await sd.attach(r.serviceDeskId, r.issueKey, [...input.files], true);
          await onChange();
        } catch (err) {
          mount(status, errorBox(err));
        }
      },
    }, input, h('button.ghost#portal-attach-save', { type: 'submit' }, 'Attach'), status));
}

function participants(r) {
  const list = (r.participants && r.participants.values) || [];
  if (!list.length) return null;
  return h('section.card', h('h3', 'Shared with'), h('ul.plain', list.map((p) => h('li', p.displayName))));
}

function size(n) {
  if (n == null) return '';
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}
