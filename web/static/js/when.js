// A reason's "when" (capture and triage offer the same choices) as its due date.

export function isoDay(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// "" (the plan's default: no date), "week", "month" or "date" (then `dateValue`, YYYY-MM-DD):
// the due date as YYYY-MM-DD, or null. A month later keeps the day, or the month's last day
// (Jan 31 -> Feb 28), as the server counts months.
export function dueFor(when, dateValue, from = new Date()) {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate());
  if (when === 'week') d.setDate(d.getDate() + 7);
  else if (when === 'month') {
    const day = d.getDate();
    d.setDate(1);
    d.setMonth(d.getMonth() + 1);
    d.setDate(Math.min(day, new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate()));
  } else if (when === 'date') return dateValue || null;
  else return null;
  return isoDay(d);
}
