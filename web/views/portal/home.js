// The customer portal's front page (the desks one may raise requests with) and a desk's
// page (its request types as cards, by group).
import { h, mount, link, spinner } from '../../dom.js';
import { sd, enc } from './jsm.js';
import { portalHead } from './nav.js';

export async function portalHomeView(el) {
  mount(el, portalHead('Help center', 'What do you need help with?'), spinner('Loading service desks…'));
  const desks = await sd.all('/servicedesk');
  if (desks.length === 1) {
    // One desk: its request types are the front page.
    return portalDeskView(el, [desks[0].id]);
  }
  mount(el, portalHead('Help center', 'Choose where to ask for help.'),
    desks.length
      ? h('ul.portal-cards.desks', desks.map((d) => h('li.portal-card',
        link(`/portal/${enc(d.id)}`, h('span.rt-icon', { 'aria-hidden': 'true' }, initial(d.projectName)), h('span.card-text', h('strong', d.projectName), h('span.muted', d.projectKey))))))
      : h('div.empty', h('p', 'No service desk is open to you yet. Ask your administrator to add you as a customer.')));
  return {};
}

export async function portalDeskView(el, [deskId]) {
  mount(el, spinner('Loading request types…'));
  const [desk, types, groups] = await Promise.all([
    sd.get(`/servicedesk/${enc(deskId)}`),
    sd.all(`/servicedesk/${enc(deskId)}/requesttype`),
    sd.all(`/servicedesk/${enc(deskId)}/requesttypegroup`).catch(() => []),
  ]);
  const card = (t) => h('li.portal-card.request-type', { dataset: { id: t.id } },
    link(`/portal/${enc(deskId)}/create/${enc(t.id)}`,
      h('span.rt-icon', { 'aria-hidden': 'true', dataset: { icon: (t.icon && t.icon.id) || '' } }, initial(t.name)),
      h('span.card-text', h('strong', t.name), t.description && h('span.muted', t.description))));
  // A type may sit in several groups (as in JSM): the groups filter one list of cards.
  const cards = h('ul.portal-cards');
  const show = (group, button) => {
    tabs.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
    const of = group ? types.filter((t) => (t.groupIds || []).includes(group.id)) : types;
    mount(cards, of.map(card));
  };
  const tab = (label, group) => h('button.ghost.rt-tab', { type: 'button', 'aria-pressed': 'false', onclick: (e) => show(group, e.currentTarget) }, label);
  const used = groups.filter((g) => types.some((t) => (t.groupIds || []).includes(g.id)));
  const tabs = h('div.rt-tabs', { role: 'group', 'aria-label': 'Request type groups' }, tab('All', null), used.map((g) => tab(g.name, g)));
  mount(el,
    portalHead(desk.projectName, 'Welcome! You can raise a request for us using the options provided.', [link('/portal', 'Help center')]),
    types.length ? [used.length ? tabs : null, cards] : h('div.empty', h('p', 'This service desk offers no request types yet.')));
  show(null, tabs.querySelector('button'));
  return {};
}

function initial(name) {
  return (name || '?').trim().charAt(0).toUpperCase();
}

