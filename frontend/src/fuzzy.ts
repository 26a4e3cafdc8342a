// A client-side mirror of the server's fuzzy-date grammar (crate `fuzzydate`), so the form can
// show what a date means while it is typed: `2024`, `2024-02`, `2024-W08`, `2024-02-19`,
// `2024-03-01T22:00+01:00`, a qualifier `~ ? %`, `202X` (a decade), `20XX` (a century).
// The server stays the authority: it parses again on save and its errors win.

import type { Precision } from './api';

export interface Understood {
  precision: Precision;
  /** First instant, UTC milliseconds (dates without an offset are read in UTC here). */
  earliest: number;
  /** Last whole second, UTC milliseconds. */
  latest: number;
  approximate: boolean;
  uncertain: boolean;
  description: string;
}

export class FuzzyError extends Error {
  readonly at: number;
  constructor(message: string, at: number) {
    super(message);
    this.at = at;
  }
}

const EXPECTED = 'expected a date like 2024, 2024-02, 2024-02-19 or 2024-03-01T22:00+01:00';
export const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}
/** Monday of ISO week 1 of `year`, as UTC ms. */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - dow * 86_400_000;
}
function weeksInYear(year: number): number {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / (7 * 86_400_000);
}
function utc(y: number, m = 1, d = 1, h = 0, min = 0, s = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  t.setUTCHours(h, min, s, 0);
  return t.getTime();
}
const two = (n: number) => String(n).padStart(2, '0');

/** Parses `text`; throws FuzzyError with the server's wording where it matters. */
export function understand(text: string): Understood {
  if (text === '') throw new FuzzyError(`the date is empty; ${EXPECTED}`, 0);
  if (/^\s/.test(text)) throw new FuzzyError('remove the space before the date', 0);
  if (/\s$/.test(text)) throw new FuzzyError('remove the space after the date', text.trimEnd().length);
  let pos = 0;
  const peek = () => text[pos];
  const eat = (c: string) => (text[pos] === c ? (pos++, true) : false);
  const run = (re: RegExp) => {
    const start = pos;
    while (pos < text.length && re.test(text[pos])) pos++;
    return text.slice(start, pos);
  };
  const twoDigits = (what: string, range: string): number => {
    const at = pos;
    if (peek() === 'X' || peek() === 'x') {
      throw new FuzzyError(`only the year may contain unknown digits (X); give the ${what} as ${range}`, at);
    }
    const digits = run(/\d/);
    if (digits.length !== 2) {
      const found = digits || (pos < text.length ? `"${text[pos]}"` : 'nothing');
      throw new FuzzyError(`${what} must have two digits (${range}), found ${found}`, at);
    }
    return Number(digits);
  };

  let precision: Precision;
  let year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, week = 0;
  let offsetMinutes: number | null = null;

  const yearChars = run(/[\dXx]/);
  if (yearChars === '') throw new FuzzyError(`could not read "${text.slice(0, 40)}" as a date; ${EXPECTED}`, 0);
  if (yearChars.includes('x')) throw new FuzzyError('write unknown digits of the year as a capital X, e.g. 202X', yearChars.indexOf('x'));
  if (yearChars.length !== 4) throw new FuzzyError(`the year must have four digits, e.g. 2024, found ${yearChars}`, 0);
  const known = yearChars.replace(/X+$/, '');
  if (known.includes('X') || known.length < 2) {
    throw new FuzzyError(`only the last one or two digits of the year may be X (202X is a decade, 20XX a century), found ${yearChars}`, 0);
  }
  if (known.length < 4) {
    precision = known.length === 2 ? 'CENTURY' : 'DECADE';
    year = Number(known) * (known.length === 2 ? 100 : 10);
    if (peek() === '-') throw new FuzzyError(`a year with unknown digits (${yearChars}) cannot have a month, week or day`, pos);
  } else {
    year = Number(known);
    precision = 'YEAR';
    if (eat('-')) {
      if (peek() === 'w') throw new FuzzyError('write the week with a capital W, e.g. 2024-W08', pos);
      if (eat('W')) {
        const weeks = weeksInYear(year);
        const at = pos;
        week = twoDigits('week', `01–${weeks}`);
        if (week < 1 || week > weeks) throw new FuzzyError(`week must be 01–${weeks} in ${year}, found ${two(week)}`, at);
        precision = 'WEEK';
      } else {
        const at = pos;
        month = twoDigits('month', '01–12');
        if (month < 1 || month > 12) throw new FuzzyError(`month must be 01–12, found ${two(month)}`, at);
        precision = 'MONTH';
        if (eat('-')) {
          const dayAt = pos;
          day = twoDigits('day', '01–31');
          const last = daysInMonth(year, month);
          if (day < 1 || day > last) {
            throw new FuzzyError(`day must be 01–${last} in ${MONTHS[month - 1]} ${year}, found ${two(day)}`, dayAt);
          }
          precision = 'DAY';
          if (eat('T')) {
            const hAt = pos;
            hour = twoDigits('hour', '00–23');
            if (hour > 23) throw new FuzzyError(`hour must be 00–23, found ${two(hour)}`, hAt);
            precision = 'HOUR';
            if (eat(':')) {
              const mAt = pos;
              minute = twoDigits('minute', '00–59');
              if (minute > 59) throw new FuzzyError(`minute must be 00–59, found ${two(minute)}`, mAt);
              precision = 'MINUTE';
              if (eat(':')) {
                const sAt = pos;
                second = twoDigits('second', '00–59');
                if (second > 59) throw new FuzzyError(`second must be 00–59, found ${two(second)}`, sAt);
                precision = 'SECOND';
              }
            }
            // An optional UTC designator.
            const signAt = pos;
            if (eat('Z')) offsetMinutes = 0;
            else if (peek() === '+' || peek() === '-') {
              const sign = peek() === '-' ? -1 : 1;
              pos++;
              const malformed = () => new FuzzyError('a UTC offset must look like +01:00, +0100 or +01 (or Z for UTC)', signAt);
              const digits = run(/\d/);
              let hh: string, mm: string;
              if (digits.length === 2 && eat(':')) {
                hh = digits;
                mm = run(/\d/);
                if (mm.length !== 2) throw malformed();
              } else if (digits.length === 2) {
                hh = digits;
                mm = '00';
              } else if (digits.length === 4) {
                hh = digits.slice(0, 2);
                mm = digits.slice(2);
              } else throw malformed();
              if (Number(hh) > 23) throw new FuzzyError(`UTC offset hours must be 00–23, found ${hh}`, signAt + 1);
              if (Number(mm) > 59) throw new FuzzyError(`UTC offset minutes must be 00–59, found ${mm}`, signAt);
              offsetMinutes = sign * (Number(hh) * 60 + Number(mm));
            }
          }
        }
      }
    }
  }
  let approximate = false;
  let uncertain = false;
  const q = peek();
  if (q === '~' || q === '?' || q === '%') {
    pos++;
    approximate = q !== '?';
    uncertain = q !== '~';
  }
  if (pos < text.length) {
    const next = text[pos];
    let message: string;
    if (q && '~?%'.includes(q) && '~?%'.includes(next)) message = `only one qualifier (~, ? or %) may end the date, found a second ${next}`;
    else if (q && '~?%'.includes(q)) message = `the qualifier ${q} must come at the very end, but "${next}" follows it`;
    else if (next === '/') message = 'use - to separate year, month and day, found "/" (date ranges are not supported)';
    else if ((next === ' ' || next === 't') && precision === 'DAY') message = 'use a capital T between the date and the time, e.g. 2024-02-19T10:00';
    else if ('Zz+-'.includes(next) && ['CENTURY', 'DECADE', 'YEAR', 'MONTH', 'WEEK', 'DAY'].includes(precision)) {
      message = precision === 'WEEK' && next === '-'
        ? 'week dates with a weekday (2024-W08-1) are not supported; write the calendar date, e.g. 2024-02-19'
        : 'a time zone such as Z or +01:00 needs a time, e.g. 2024-03-01T22:00Z';
    } else message = `unexpected "${next}" after "${text.slice(0, pos)}"; ${EXPECTED}`;
    throw new FuzzyError(message, pos);
  }

  // The span, in UTC (or the written offset).
  let start: number;
  let next: number;
  switch (precision) {
    case 'CENTURY': start = utc(year); next = utc(year + 100); break;
    case 'DECADE': start = utc(year); next = utc(year + 10); break;
    case 'YEAR': start = utc(year); next = utc(year + 1); break;
    case 'MONTH': start = utc(year, month); next = month === 12 ? utc(year + 1, 1) : utc(year, month + 1); break;
    case 'WEEK': start = isoWeekOneMonday(year) + (week - 1) * 7 * 86_400_000; next = start + 7 * 86_400_000; break;
    case 'DAY': start = utc(year, month, day); next = start + 86_400_000; break;
    case 'HOUR': start = utc(year, month, day, hour); next = start + 3_600_000; break;
    case 'MINUTE': start = utc(year, month, day, hour, minute); next = start + 60_000; break;
    default: start = utc(year, month, day, hour, minute, second); next = start + 1000; break;
  }
  const shift = (offsetMinutes ?? 0) * 60_000;
  const description = describe(precision, start, offsetMinutes, approximate, uncertain);
  return { precision, earliest: start - shift, latest: next - shift - 1000, approximate, uncertain, description };
}

function dayText(t: number): string {
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** The same words as the server's `FuzzyDate.description`. */
function describe(precision: Precision, start: number, offset: number | null, approximate: boolean, uncertain: boolean): string {
  const d = new Date(start);
  const year = d.getUTCFullYear();
  const notes: string[] = [];
  let what: string;
  switch (precision) {
    case 'CENTURY': what = `the years ${year}–${year + 99}`; break;
    case 'DECADE': what = year >= 1000 ? `the ${year}s` : `the years ${year}–${year + 9}`; break;
    case 'YEAR': what = String(year); break;
    case 'MONTH': what = `${MONTHS[d.getUTCMonth()]} ${year}`; break;
    case 'WEEK': {
      const sunday = new Date(start + 6 * 86_400_000);
      let days: string;
      if (sunday.getUTCFullYear() !== year) days = `${dayText(start)} – ${dayText(sunday.getTime())}`;
      else if (sunday.getUTCMonth() !== d.getUTCMonth()) {
        days = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} – ${sunday.getUTCDate()} ${MONTHS[sunday.getUTCMonth()]}`;
      } else days = `${d.getUTCDate()}–${sunday.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
      notes.push(days);
      // The ISO week-numbering year is the year of the week's Thursday.
      const thursday = new Date(start + 3 * 86_400_000);
      const isoYear = thursday.getUTCFullYear();
      const weekNo = Math.round((start - isoWeekOneMonday(isoYear)) / (7 * 86_400_000)) + 1;
      what = `week ${weekNo} of ${isoYear}`;
      break;
    }
    case 'DAY': what = dayText(start); break;
    default: {
      const h = two(d.getUTCHours());
      const time = precision === 'HOUR' ? `${h}:00–${h}:59`
        : precision === 'MINUTE' ? `${h}:${two(d.getUTCMinutes())}`
        : `${h}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
      let zone = 'UTC';
      if (offset) {
        const abs = Math.abs(offset);
        zone = `UTC${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
      }
      what = `${dayText(start)}, ${time} ${zone}`;
    }
  }
  notes.push(`${precision.toLowerCase()} precision`);
  if (approximate && uncertain) notes.push('approximate and uncertain');
  else if (approximate) notes.push('approximate');
  else if (uncertain) notes.push('uncertain');
  return `${what} (${notes.join(', ')})`;
}

/** An instant as the server's filter wants it: a second-precision UTC date (`2024-02-19T10:15:30Z`). */
export function isoSecond(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  const clampedYear = Math.min(9999, Math.max(0, y));
  if (clampedYear !== y) return clampedYear === 0 ? '0000-01-01T00:00:00Z' : '9999-12-31T23:59:59Z';
  return `${String(y).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}Z`;
}
