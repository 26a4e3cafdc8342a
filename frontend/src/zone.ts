// The display time zone (issue 13): '' for the browser's own, 'UTC', or an IANA name. It is part
// of the link (`tz`, src/url.ts) and of a saved view; the timeline's axis and the detail's times
// are shown in it. Offsets come from the browser's own time zone data (Intl), so nothing is fetched.

/** Whether the browser knows `name` as a time zone. */
export function isZone(name: string): boolean {
  if (!name) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The zone Intl should use: undefined for the browser's. */
export function intlZone(tz: string): string | undefined {
  return tz && isZone(tz) ? tz : undefined;
}

/** The zone's name as shown: the browser's own is named too. */
export function zoneLabel(tz: string): string {
  return tz || `${Intl.DateTimeFormat().resolvedOptions().timeZone} (this browser)`;
}

/** The zone's offset from UTC at `ms`, in minutes (east positive). */
export function offsetMinutes(ms: number, tz: string): number {
  const zone = intlZone(tz);
  if (!zone) return -new Date(ms).getTimezoneOffset();
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
}

/** An instant as words in the zone, e.g. "19 Feb 2024, 14:30:00 UTC". */
export function formatInstant(at: string | number, tz: string): string {
  return new Date(at).toLocaleString('en-GB', { timeZone: intlZone(tz), dateStyle: 'medium', timeStyle: 'long' });
}
