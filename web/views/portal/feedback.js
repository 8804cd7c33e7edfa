// Rating a resolved request: 1–5 stars and a comment, once (`request/{key}/feedback`).
import { h, mount, errorBox } from '../../dom.js';
import { sd, enc } from './jsm.js';

export async function feedbackPanel(key, onChange) {
  const given = await sd.get(`/request/${enc(key)}/feedback`).catch((e) => {
    if (e.status === 404) return null;
    throw e;
  });
  if (given) {
    return h('section.card.portal-feedback.rated',
      h('h2', 'Your rating'),
      h('p.stars', { 'aria-label': `${given.rating} out of 5 stars` }, stars(given.rating)),
      given.comment && given.comment.body && h('p', given.comment.body),
      h('p.muted', 'Thank you for your feedback.'));
  }
  let rating = 0;
  const buttons = [1, 2, 3, 4, 5].map((n) => h('button.star-pick', {
    type: 'button', 'aria-label': `${n} star${n > 1 ? 's' : ''}`, 'aria-pressed': 'false', dataset: { n },
    onclick: () => {
      rating = n;
      buttons.forEach((b, i) => {
        b.classList.toggle('on', i < n);
        b.setAttribute('aria-pressed', String(i < n));
      });
      label.textContent = `${n} of 5`;
      send.disabled = false;
    },
  }, '★'));
  const label = h('span.muted.star-label', 'Choose a rating');
  const comment = h('textarea#feedback-comment', { rows: 2, placeholder: 'Tell us more (optional)', 'aria-label': 'Feedback comment' });
  const status = h('div.status');
  const send = h('button.primary#feedback-send', { type: 'submit', disabled: true }, 'Send rating');
  return h('form.card.portal-feedback', {
    onsubmit: async (e) => {
      e.preventDefault();
      if (!rating) return;
      send.disabled = true;
      try {
        const body = { rating, type: 'csat' };
        if (comment.value.trim()) body.comment = { body: comment.value.trim() };
        await sd.post(`/request/${enc(key)}/feedback`, body);
        await onChange();
      } catch (err) {
        mount(status, errorBox(err));
        send.disabled = false;
      }
    },
  },
  h('h2', 'How satisfied are you with this request?'),
  h('div.star-row', { role: 'group', 'aria-label': 'Rating' }, buttons, label),
  comment, h('div.actions', send), status);
}

function stars(n) {
  return [1, 2, 3, 4, 5].map((i) => h(`span.star${i <= n ? '.on' : ''}`, { 'aria-hidden': 'true' }, '★'));
}
