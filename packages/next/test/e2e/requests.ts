/** HTTP helpers of the e2e suites. */

export interface Page {
  status: number;
  cache: string | null;
  body: string;
  headers: Headers;
}

export const get = async (
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Page> => {
  const res = await fetch(base + path, { headers, signal: AbortSignal.timeout(20_000) });
  return {
    status: res.status,
    cache: res.headers.get('x-nextjs-cache'),
    body: await res.text(),
    headers: res.headers,
  };
};
export const renderOf = (html: string) => /id="render">([^<]+)</.exec(html)?.[1];
export const json = (page: Page) => JSON.parse(page.body) as Record<string, string>;

/**
 * Polls `fn` until `ok` accepts its value; fails with the last value after `ms`. Every first read
 * after a revalidation goes through it: a route handler's `revalidateTag` is handed to
 * `waitUntil` when the server has one (Next 16's `next start` does), so the tag write can land
 * just after the response (a read at once saw the old entry in CI).
 */
export async function eventually<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end)
      throw new Error(`condition not met in ${ms} ms; last: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
