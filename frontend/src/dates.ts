// Dates as the server reads them: the page keeps no copy of the grammar (EDTF levels 0–2 and
// Chronik's weeks and times, crate `fuzzydate`). `describeDate` answers what a text means; the
// answers are kept, so the filter's period can be read at once once it has been asked for.

import { ApiError, gql, instant, type FuzzyDate } from './api';

/** What the server says of a text: the date, or why it is none (a VALIDATION message). */
export type Described = { date: FuzzyDate; error?: undefined } | { date?: undefined; error: string };

const known = new Map<string, Described>();

/** Asks the server what `text` means (read in `zone` when it has no offset); one round trip per new text. */
export async function describeDate(text: string, zone = ''): Promise<Described> {
  const key = `${zone}\n${text}`;
  const cached = known.get(key);
  if (cached) return cached;
  let answer: Described;
  try {
    const data = await gql<{ describeDate: FuzzyDate }>(
      'query($text: String!, $zone: String) { describeDate(text: $text, timeZone: $zone) { value precision earliest latest approximate uncertain description } }',
      { text, zone: zone || null },
    );
    answer = { date: data.describeDate };
  } catch (error) {
    // Only the server's verdict is kept: a lost connection is asked again next time.
    if (!(error instanceof ApiError) || error.code !== 'VALIDATION') return { error: error instanceof Error ? error.message : String(error) };
    answer = { error: error.errors[0]?.message ?? error.message };
  }
  known.set(key, answer);
  return answer;
}

/** The instants of an already described text (UTC ms; null where open, unknown or not asked yet). */
export function limitsOf(text: string): { earliest: number | null; latest: number | null } {
  const date = known.get(`\n${text}`)?.date;
  const ms = (iso: string | null | undefined) => (iso ? instant(iso) : null);
  return { earliest: ms(date?.earliest), latest: ms(date?.latest) };
}

const two = (n: number) => String(n).padStart(2, '0');

/** An instant as the server's filter wants it: a UTC second (`2024-02-19T10:15:30Z`), or for
 * years outside 0000–9999 the EDTF day (`-0044-03-15`), which the filter widens to the whole day. */
export function isoSecond(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) {
    const clamped = Math.max(-9999, Math.min(9999, y));
    if (clamped !== y) return clamped < 0 ? '-9999-01-01' : '9999-12-31';
    return `-${String(-y).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  }
  return `${String(y).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}Z`;
}
