// A desk's settings, as far as the service desk API reaches: its request types and
// their forms, the SLA goals (read off a request, as JSM lists no goals by themselves),
// its customers (add, remove, create) and its organizations (create, add, remove).
import { h, mount, link, spinner, errorBox } from '../../dom.js';
import { sd, enc } from '../portal/jsm.js';

export async function deskSettingsView(el, [deskId], { state }) {
  mount(el, spinner('Loading desk settings…'));
  const desk = await sd.get(`/servicedesk/${enc(deskId)}`);
  const base = `/servicedesk/${enc(deskId)}`;
  const types = h('section.card.settings-types');
  const slas = h('section.card.settings-slas');
  const customers = h('section.card.settings-customers');
  const orgs = h('section.card.settings-orgs');
  mount(el,
    h('div.page-head', h('h1', `${desk.projectName}: settings`), h('span.grow'),
      link(`/desk/${enc(deskId)}`, 'Queues'), ' ', link(`/portal/${enc(deskId)}`, 'Customer portal')),
    h('div.settings-grid', types, slas, customers, orgs));
  // One section failing (say, an agent may not list every organization) leaves the rest.
  await Promise.all([
    [types, requestTypes(types, base, deskId)],
    [slas, slaGoals(slas, base)],
    [customers, customerList(customers, base, state)],
    [orgs, orgList(orgs, base)],
  ].map(([box, p]) => p.catch((e) => mount(box, errorBox(e)))));
  return {};
}

async function requestTypes(box, base, deskId) {
  const list = await sd.all(`${base}/requesttype`);
  const forms = await Promise.all(list.map((t) => sd.get(`${base}/requesttype/${enc(t.id)}/field`).catch(() => ({ requestTypeFields: [] }))));
  mount(box, h('h2', 'Request types'),
    h('table.grid', h('thead', h('tr', h('th', 'Name'), h('th', 'Description'), h('th', 'Form fields'))),
      h('tbody', list.map((t, i) => h('tr', { dataset: { id: t.id } },
        h('td', link(`/portal/${enc(deskId)}/create/${enc(t.id)}`, t.name)),
        h('td', t.description || ''),
        h('td.small', (forms[i].requestTypeFields || []).map((f) => `${f.name}${f.required ? ' *' : ''}`).join(', ')))))));
}

async function slaGoals(box, base) {
  mount(box, h('h2', 'SLA goals'), spinner());
  // Any request of the desk, open or closed, carries every goal.
  const deskId = base.split('/').pop();
  const any = (await sd.get(`/request?serviceDeskId=${deskId}&requestOwnership=ALL_REQUESTS&requestStatus=ALL_REQUESTS&limit=1`)).values || [];
  const metrics = any.length ? await sd.all(`/request/${enc(any[0].issueKey)}/sla`) : [];
  const goal = (m) => {
    const c = m.ongoingCycle || (m.completedCycles || [])[0];
    return c && c.goalDuration ? c.goalDuration.friendly : '';
  };
  mount(box, h('h2', 'SLA goals'),
    metrics.length
      ? h('table.grid', h('thead', h('tr', h('th', 'Metric'), h('th', 'Goal'))),
        h('tbody', metrics.map((m) => h('tr', h('td', m.name), h('td', goal(m))))))
      : h('p.muted', 'The goals show here once the desk has a request.'),
    h('p.small.muted', 'Goals are read from the desk\'s requests; the service desk API does not edit them.'));
}

async function customerList(box, base, state) {
  const status = h('div.status');
  const reload = () => customerList(box, base, state);
  const act = (fn) => async (e) => {
    if (e) e.preventDefault();
    try {
      await fn();
      await reload();
    } catch (err) {
      mount(status, errorBox(err));
    }
  };
  const people = await sd.all(`${base}/customer`);
  const name = h('input#customer-add-name', { placeholder: 'Username', 'aria-label': 'Username to add', required: true });
  const email = h('input#customer-new-email', { type: 'email', placeholder: 'Email', 'aria-label': 'New customer email', required: true });
  const display = h('input#customer-new-name', { placeholder: 'Display name', 'aria-label': 'New customer name' });
  mount(box, h('h2', 'Customers', h('span.count', ` ${people.length}`)),
    people.length
      ? h('ul.plain.customer-list', people.map((p) => h('li', { dataset: { name: p.name } },
        h('span', p.displayName, h('span.muted.small', ` ${p.emailAddress || p.name}`)),
        h('button.linkish.danger.remove-customer', { type: 'button', onclick: act(() => sd.del(`${base}/customer`, { usernames: [p.name] })) }, 'Remove'))))
      : h('p.muted', 'No customers yet.'),
    h('form.inline-form#customer-add', { onsubmit: act(() => sd.post(`${base}/customer`, { usernames: [name.value.trim()] })) },
      name, h('button.ghost', { type: 'submit' }, 'Add customer')),
    state.admin && h('form.inline-form#customer-create', {
      onsubmit: act(async () => {
        const made = await sd.post('/customer', { email: email.value.trim(), displayName: display.value.trim() || undefined });
        await sd.post(`${base}/customer`, { accountIds: [made.accountId] });
      }),
    }, email, display, h('button.ghost', { type: 'submit' }, 'Create customer')),
    status);
}

async function orgList(box, base) {
  const status = h('div.status');
  const reload = () => orgList(box, base);
  const act = (fn) => async (e) => {
    if (e) e.preventDefault();
    try {
      await fn();
      await reload();
    } catch (err) {
      mount(status, errorBox(err));
    }
  };
  const [mine, all] = await Promise.all([sd.all(`${base}/organization`), sd.all('/organization').catch(() => [])]);
  const others = all.filter((o) => !mine.some((m) => m.id === o.id));
  const name = h('input#org-new-name', { placeholder: 'Organization name', 'aria-label': 'New organization name', required: true });
  const pick = h('select#org-pick', { 'aria-label': 'Organization to add' }, others.map((o) => h('option', { value: o.id }, o.name)));
  mount(box, h('h2', 'Organizations', h('span.count', ` ${mine.length}`)),
    mine.length
      ? h('ul.plain.org-list', mine.map((o) => h('li', { dataset: { id: o.id } }, h('span', o.name),
        h('button.linkish.danger', { type: 'button', onclick: act(() => sd.del(`${base}/organization`, { organizationId: Number(o.id) })) }, 'Remove from desk'))))
      : h('p.muted', 'No organizations on this desk.'),
    others.length ? h('form.inline-form#org-add', { onsubmit: act(() => sd.post(`${base}/organization`, { organizationId: Number(pick.value) })) },
      pick, h('button.ghost', { type: 'submit' }, 'Add to desk')) : null,
    h('form.inline-form#org-create', {
      onsubmit: act(async () => {
        const o = await sd.post('/organization', { name: name.value.trim() });
        await sd.post(`${base}/organization`, { organizationId: Number(o.id) });
      }),
    }, name, h('button.ghost', { type: 'submit' }, 'Create and add')),
    status);
}
