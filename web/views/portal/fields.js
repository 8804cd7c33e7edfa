// One input per request type field, chosen by its `jiraSchema`: text, multi-line text,
// a select from `validValues`, a date, a list of labels or of people (approvers).
import { h } from '../../dom.js';

const LONG = new Set(['description', 'environment']);

/** `{el, value(), focus()}` for the field `f` of `requesttype/{id}/field`. */
export function fieldInput(f) {
  const id = `rf-${f.fieldId}`;
  const schema = f.jiraSchema || {};
  const required = !!f.required;
  const common = { id, name: f.fieldId, required, 'aria-required': required ? 'true' : null, 'aria-describedby': f.description ? `${id}-help` : null };
  let input;
  let value;
  if ((f.validValues || []).length) {
    const multi = schema.type === 'array';
    input = h('select', { ...common, multiple: multi },
      !multi && h('option', { value: '' }, required ? 'Choose…' : 'None'),
      f.validValues.map((v) => h('option', { value: v.value }, v.label || v.value)));
    value = () => {
      if (multi) {
        const picked = [...input.selectedOptions].map((o) => o.value);
        return picked.length ? picked.map((v) => (schema.items === 'string' ? v : { id: v })) : undefined;
      }
      if (!input.value) return undefined;
      return schema.type === 'priority' || schema.type === 'option' ? { id: input.value } : input.value;
    };
  } else if (schema.type === 'date') {
    input = h('input', { ...common, type: 'date' });
    value = () => input.value || undefined;
  } else if (schema.type === 'array') {
    const people = schema.items === 'user';
    input = h('input', { ...common, placeholder: people ? 'Usernames, separated by commas' : 'Separated by commas or spaces' });
    value = () => {
      const parts = input.value.split(people ? /\s*,\s*/ : /[\s,]+/).map((s) => s.trim()).filter(Boolean);
      if (!parts.length) return undefined;
      return people ? parts.map((name) => ({ name })) : parts;
    };
  } else if (LONG.has(f.fieldId)) {
    input = h('textarea', { ...common, rows: 5 });
    value = () => input.value.trim() || undefined;
  } else {
    input = h('input', { ...common, type: 'text' });
    value = () => input.value.trim() || undefined;
  }
  const el = h('div.portal-field', { dataset: { field: f.fieldId } },
    h('label', { for: id },
      h('span.field-label', f.name || f.fieldId, required && h('span.required', { title: 'Required', 'aria-hidden': 'true' }, ' *')),
      input),
    f.description && h('span.hint', { id: `${id}-help` }, f.description),
    h('span.hint.bad.field-error', { id: `${id}-error`, role: 'alert' }));
  const error = el.querySelector('.field-error');
  return {
    el,
    field: f,
    value,
    focus: () => input.focus(),
    setError(msg) {
      error.textContent = msg || '';
      input.setAttribute('aria-invalid', msg ? 'true' : 'false');
    },
  };
}
