/**
 * RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, plus the obsolete RFC 850 and asctime forms a recipient
 * must accept (names matched case-insensitively, as deployed caches do). Anything else is not a date (`Date.parse` accepts far more: `Expires` values such as
 * `Sun, 06 Nov 1994 08:49:37 UTC`, dashes or one-digit hours must read as invalid, hence stale).
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIME = '(?<h>\\d{2}):(?<m>\\d{2}):(?<s>\\d{2})';
const MONTH = `(?<month>${MONTHS.join('|')})`;
/** The three forms, each naming its fields (a two-digit `year` is RFC 850's). */
const FORMS = [
  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`,
  // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`,
  // asctime: Sun Nov  6 08:49:37 1994
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} (?<day>[ \\d]\\d) ${TIME} (?<year>\\d{4})$`,
].map((form) => new RegExp(form, 'i'));

/** Epoch ms of an HTTP-date, or `undefined` when `value` is not one. */
export function parseHttpDate(value: string): number | undefined {
  for (const form of FORMS) {
    const fields = form.exec(value)?.groups;
    if (fields) return toEpoch(fields as unknown as DateFields);
  }
  return undefined;
}

interface DateFields {
  year: string;
  month: string;
  day: string;
  h: string;
  m: string;
  s: string;
}

function toEpoch({ year: yearText, month, day: dayText, h, m, s }: DateFields): number | undefined {
  let year = Number(yearText);
  if (yearText.length === 2) {
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    year += 2000;
    if (year > new Date().getUTCFullYear() + 50) year -= 100;
  }
  const day = Number(dayText);
  const index = MONTHS.findIndex((name) => name.toLowerCase() === month.toLowerCase());
  const ms = Date.UTC(year, index, day, Number(h), Number(m), Number(s));
  const back = new Date(ms);
  // Reject impossible dates (31 Feb) and times (25:00) rather than letting them roll over.
  const valid = back.getUTCDate() === day && Number(h) < 24 && Number(m) < 60 && Number(s) < 61;
  return valid ? ms : undefined;
}
