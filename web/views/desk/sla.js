// SLA timers: the time left on a metric's ongoing cycle (`remainingTime.friendly`), or
// how the last completed cycle ended. A breach says so in words, not only in red.
import { h } from '../../dom.js';

/** One metric of `request/{key}/sla` as a timer chip. */
export function slaTimer(m) {
  const on = m.ongoingCycle;
  if (on) {
    const left = on.remainingTime || {};
    const breached = on.breached || (left.millis != null && left.millis < 0);
    return h(`span.sla.${breached ? 'breached' : (left.millis < 3600000 ? 'soon' : 'running')}`,
      { title: `${m.name}: goal ${(on.goalDuration || {}).friendly || ''}`, dataset: { sla: m.name } },
      breached ? h('strong', 'Breached') : null, breached ? `${(left.friendly || '').replace(/^-/, '')} ago` : `${left.friendly || ''} left`, h('span.sla-name', m.name));
  }
  const last = (m.completedCycles || []).slice(-1)[0];
  if (!last) return h('span.sla.none', { dataset: { sla: m.name } }, '— ', h('span.sla-name', m.name));
  return h(`span.sla.done${last.breached ? '.breached' : ''}`, { dataset: { sla: m.name } },
    last.breached ? h('strong', 'Breached ') : h('span', '✓ Met '), h('span.sla-name', m.name));
}

export function slaList(metrics) {
  if (!metrics || !metrics.length) return h('span.muted', 'No SLAs');
  return h('span.sla-list', metrics.map(slaTimer));
}
