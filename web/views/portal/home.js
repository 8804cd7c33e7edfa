// The customer portal's front page (the desks one may raise requests with) and a desk's
// page (its request types as cards, by group).
import { h, mount, link, spinner, errorBox } from '../../dom.js';
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
      h('span.rt-icon', { 'aria-hidden': 'true', dataset: { icon: (t.icon && t.icon.id) || '' } }, glyph(t)),
      h('span.card-text', h('strong', t.name), t.description && h('span.muted', t.description))));
  const sections = groups.length
    ? groups.map((g) => {
      const of = types.filter((t) => (t.groupIds || []).includes(g.id));
      return of.length ? h('section.rt-group', h('h2', g.name), h('ul.portal-cards', of.map(card))) : null;
    })
    : [];
  const grouped = new Set(groups.flatMap((g) => types.filter((t) => (t.groupIds || []).includes(g.id)).map((t) => t.id)));
  const rest = types.filter((t) => !grouped.has(t.id));
  mount(el,
    portalHead(desk.projectName, 'Welcome! You can raise a request for us using the options provided.', [link('/portal', 'Help center')]),
    types.length ? [sections, rest.length ? h('section.rt-group', groups.length && h('h2', 'Other'), h('ul.portal-cards', rest.map(card))) : null]
      : h('div.empty', h('p', 'This service desk offers no request types yet.')));
  return {};
}

function initial(name) {
  return (name || '?').trim().charAt(0).toUpperCase();
}

/** A glyph for the type: request type icons are not served, so its words pick one. */
function glyph(t) {
  const n = (t.name || '').toLowerCase();
  if (/hardware|laptop|monitor|device/.test(n)) return '🖥';
  if (/account|password|access|login/.test(n)) return '🔑';
  if (/bug|fix|broken|problem/.test(n)) return '🛠';
  if (/help|question|ask/.test(n)) return '💬';
  return initial(t.name);
}

export { errorBox };
