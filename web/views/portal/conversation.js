// A request's conversation: its comments oldest first (customers get only the public
// ones from the server; agents see internal notes marked as such) and the reply form.
import { h, mount, trustedHtml, errorBox } from '../../dom.js';
import { sd, enc } from './jsm.js';

/**
 * `agent`: the caller works the desk, so the form offers "Reply to customer" or
 * "Internal note" (JSM's `public` flag).
 */
export function conversation(key, comments, { agent, onChange }) {
  const list = h('ol.conversation', comments.length
    ? comments.map(entry)
    : h('li.muted.no-comments', 'No messages yet.'));
  return h('section.portal-conversation', h('h2', 'Activity'), list, replyForm(key, agent, onChange));
}

function entry(c) {
  const internal = c.public === false;
  return h(`li.comment${internal ? '.internal' : ''}`, { dataset: { id: c.id } },
    h('header',
      h('strong', c.author ? c.author.displayName : 'Someone'),
      internal && h('span.badge.internal-badge', 'Internal note'),
      h('span.muted', c.created ? c.created.friendly : '')),
    c.renderedBody ? trustedHtml('markup', c.renderedBody.html) : h('p', c.body));
}

function replyForm(key, agent, onChange) {
  const area = h('textarea.editor#portal-comment', { rows: 3, placeholder: agent ? 'Write a reply or an internal note…' : 'Add a comment…', 'aria-label': 'Comment' });
  const status = h('div.status');
  const button = h('button.primary#portal-comment-save', { type: 'submit' }, agent ? 'Reply to customer' : 'Add comment');
  let isPublic = true;
  const choice = agent && h('div.comment-kind', { role: 'radiogroup', 'aria-label': 'Who sees it' },
    h('label.check', h('input#comment-public', { type: 'radio', name: 'comment-kind', value: 'public', checked: true, onchange: () => pick(true) }), 'Reply to customer'),
    h('label.check', h('input#comment-internal', { type: 'radio', name: 'comment-kind', value: 'internal', onchange: () => pick(false) }), 'Internal note'));
  function pick(pub) {
    isPublic = pub;
    button.textContent = pub ? 'Reply to customer' : 'Add internal note';
    area.classList.toggle('internal', !pub);
  }
  return h('form.comment-form.portal-reply', {
    onsubmit: async (e) => {
      e.preventDefault();
      if (!area.value.trim()) return;
      button.disabled = true;
      try {
        await sd.post(`/request/${enc(key)}/comment`, { body: area.value, public: isPublic });
        area.value = '';
        mount(status);
        await onChange();
      } catch (err) {
        mount(status, errorBox(err));
      } finally {
        button.disabled = false;
      }
    },
  }, choice, area, h('div.actions', button), status);
}
