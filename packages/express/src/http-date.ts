/**
 * RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, plus the obsolete RFC 850 and asctime forms a recipient
 * must accept (names matched case-insensitively, as deployed caches do). Anything else is not a date (`Date.parse` accepts far more: `Expires` values such as
 * `Sun, 06 Nov 1994 08:49:37 UTC`, dashes or one-digit hours must read as invalid, hence stale).
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const MONTH = `(${MONTHS.join('|')})`;
const IMF_FIXDATE = new RegExp(
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`,
  'i',
);
const RFC_850 = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`,
  'i',
);
const ASCTIME = new RegExp(
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`,
  'i',
);

function toEpoch(year: number, month: string, day: number, h: string, m: string, s: string) {
  const index = MONTHS.findIndex((name) => name.toLowerCase() === month.toLowerCase());
  const ms = Date.UTC(year, index, day, Number(h), Number(m), Number(s));
  const back = new Date(ms);
  // Reject impossible dates (31 Feb) and times (25:00) rather than letting them roll over.
  const valid = back.getUTCDate() === day && Number(h) < 24 && Number(m) < 60 && Number(s) < 61;
  return valid ? ms : undefined;
}

/** Epoch ms of an HTTP-date, or `undefined` when `value` is not one. */
export function parseHttpDate(value: string): number | undefined {
  let match = IMF_FIXDATE.exec(value);
  if (match) {
    const [, day, month, year, h, m, s] = match as unknown as string[];
    return toEpoch(
      Number(year),
      month as string,
      Number(day),
      h as string,
      m as string,
      s as string,
    );
  }
  match = RFC_850.exec(value);
  if (match) {
    const [, day, month, yy, h, m, s] = match as unknown as string[];
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    const thisYear = new Date().getUTCFullYear();
    let year = 2000 + Number(yy);
    if (year > thisYear + 50) year -= 100;
    return toEpoch(year, month as string, Number(day), h as string, m as string, s as string);
  }
  match = ASCTIME.exec(value);
  if (match) {
    const [, month, day, h, m, s, year] = match as unknown as string[];
    return toEpoch(
      Number(year),
      month as string,
      Number(day),
      h as string,
      m as string,
      s as string,
    );
  }
  return undefined;
}
