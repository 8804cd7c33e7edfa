// The sprint dialogs: start a sprint (name, dates, goal) and complete the active one
// (how many issues are unfinished and where they go, as the server moves them).
import { h, mount, spinner, errorBox } from '../../dom.js';
import { agile, isDone, jiraDate } from './client.js';

/** A modal dialog; `body(close, status)` builds the form. Escape closes (app.js). */
function dialog(cls, title, body) {
  const close = () => overlay.remove();
  const status = h('div.dialog-status', { 'aria-live': 'polite' });
  const id = `${cls}-title`;
  const overlay = h(`div.overlay.${cls}`, { onclick: (e) => e.target === overlay && close() },
    h('div.dialog', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': id },
      h(`h2#${id}`, title), body(close, status), status));
  document.body.append(overlay);
  const first = overlay.querySelector('input, textarea, button.primary');
  if (first) first.focus();
  return overlay;
}

// datetime-local wants local "YYYY-MM-DDTHH:MM".
const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

export function startSprintDialog(sprint, issueCount, done) {
  dialog('start-sprint', `Start ${sprint.name}`, (close, status) => {
    const now = new Date();
    const name = h('input#sprint-name', { value: sprint.name, required: true, maxlength: 255 });
    const start = h('input#sprint-start', { type: 'datetime-local', value: local(sprint.startDate ? jiraDate(sprint.startDate) : now), required: true });
    const end = h('input#sprint-end', { type: 'datetime-local', value: local(sprint.endDate ? jiraDate(sprint.endDate) : new Date(now.getTime() + 14 * 86400000)), required: true });
    const goal = h('textarea#sprint-goal', { rows: 3 }, sprint.goal || '');
    return h('form.sprint-form', {
      onsubmit: async (e) => {
        e.preventDefault();
        if (!name.value.trim()) { mount(status, errorBox({ messages: ['A sprint needs a name.'] })); name.focus(); return; }
        mount(status, spinner('Starting…'));
        try {
          await agile.post(`/sprint/${sprint.id}`, {
            state: 'active', name: name.value.trim(), goal: goal.value,
            startDate: new Date(start.value).toISOString(), endDate: new Date(end.value).toISOString(),
          });
          close();
          done();
        } catch (err) {
          mount(status, errorBox(err));
        }
      },
    },
    h('p.muted', issueCount === 1 ? '1 issue will be included in this sprint.' : `${issueCount} issues will be included in this sprint.`),
    h('label', { for: 'sprint-name' }, 'Sprint name', name),
    h('div.row', h('label', { for: 'sprint-start' }, 'Start date', start), h('label', { for: 'sprint-end' }, 'End date', end)),
    h('label', { for: 'sprint-goal' }, 'Sprint goal', goal),
    h('div.actions', h('button.primary', { type: 'submit' }, 'Start'), h('button.ghost', { type: 'button', onclick: close }, 'Cancel')));
  });
}

/** `next` is the board's next future sprint (where the server moves unfinished issues). */
export function completeSprintDialog(sprint, issues, next, done) {
  const open = issues.filter((i) => !isDone(i));
  const finished = issues.length - open.length;
  const where = next ? `moved to ${next.name}` : 'moved to the backlog';
  dialog('complete-sprint', `Complete ${sprint.name}`, (close, status) => h('div',
    h('ul.complete-summary',
      h('li', finished === 1 ? '1 issue is done.' : `${finished} issues are done.`),
      h('li.unfinished', open.length === 0 ? 'No issue is unfinished.'
        : `${open.length === 1 ? '1 issue is' : `${open.length} issues are`} not done and will be ${where}.`)),
    open.length ? h('p.muted', open.map((i) => i.key).join(', ')) : null,
    h('div.actions',
      h('button.primary', { type: 'button', onclick: async () => {
        mount(status, spinner('Completing…'));
        try {
          await agile.post(`/sprint/${sprint.id}`, { state: 'closed' });
          close();
          done();
        } catch (err) {
          mount(status, errorBox(err));
        }
      } }, 'Complete sprint'),
      h('button.ghost', { type: 'button', onclick: close }, 'Cancel'))));
}
