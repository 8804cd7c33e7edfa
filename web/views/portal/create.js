// Raising a request: the request type's form (`requesttype/{id}/field`), then
// `POST request` with `requestFieldValues`; errors go back onto their fields.
import { h, mount, link, spinner, errorBox } from '../../dom.js';
import { sd, enc } from './jsm.js';
import { fieldInput } from './fields.js';
import { portalHead } from './nav.js';

export async function portalCreateView(el, [deskId, typeId], { navigate }) {
  mount(el, spinner('Loading the form…'));
  const base = `/servicedesk/${enc(deskId)}/requesttype/${enc(typeId)}`;
  const [desk, type, form] = await Promise.all([
    sd.get(`/servicedesk/${enc(deskId)}`),
    sd.get(base),
    sd.get(`${base}/field`),
  ]);
  const inputs = (form.requestTypeFields || []).filter((f) => f.visible !== false).map(fieldInput);
  const files = h('input#rf-attachment', { type: 'file', multiple: true });
  const status = h('div.status', { 'aria-live': 'polite' });
  const submit = h('button.primary#raise-request', { type: 'submit' }, 'Send');
  const formEl = h('form.portal-form.card', {
    novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      inputs.forEach((i) => i.setError(''));
      const values = {};
      const missing = [];
      for (const i of inputs) {
        const v = i.value();
        if (v === undefined) {
          if (i.field.required) missing.push(i);
        } else values[i.field.fieldId] = v;
      }
      if (missing.length) {
        missing.forEach((i) => i.setError(`${i.field.name} is required.`));
        missing[0].focus();
        mount(status, errorBox({ messages: ['Fill in the required fields marked *.'] }));
        return;
      }
      submit.disabled = true;
      mount(status, 'Sending…');
      try {
        const r = await sd.post('/request', { serviceDeskId: deskId, requestTypeId: typeId, requestFieldValues: values, channel: 'portal' });
        if (files.files.length) {
          mount(status, 'Attaching files…');
          await sd.attach(deskId, r.issueKey, [...files.files]);
        }
        navigate(`/portal/request/${enc(r.issueKey)}`);
      } catch (err) {
        // JSM names the fields in its message ("summary: …"); mark those that match.
        for (const i of inputs) if (err.message.includes(`${i.field.fieldId}:`)) i.setError(`${i.field.name}: check this field.`);
        mount(status, errorBox(err));
        submit.disabled = false;
      }
    },
  },
  type.helpText && h('p.muted', type.helpText),
  inputs.map((i) => i.el),
  h('div.portal-field', h('label', { for: 'rf-attachment' }, h('span.field-label', 'Attachments'), files)),
  h('div.actions', submit, link(`/portal/${enc(deskId)}`, 'Cancel')),
  status);
  mount(el,
    portalHead(type.name, type.description, [link('/portal', 'Help center'), link(`/portal/${enc(deskId)}`, desk.projectName)]),
    formEl);
  if (inputs[0]) inputs[0].focus();
  return {};
}
