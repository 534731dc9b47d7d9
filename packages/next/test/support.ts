/** What a refused connection looks like to the handlers (retryable, as the client's would be). */
export const connectionRefused = Object.assign(new Error('connection refused'), {
  retryable: true,
});

/** An APP_PAGE value shaped like the one Next 15.2+/16 passes to `set`. */
export function appPage(html = '<html>page</html>', tags = '_N_T_/layout,_N_T_/isr/a,isr') {
  const rsc = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
  return {
    kind: 'APP_PAGE',
    html,
    rscData: rsc,
    segmentData: new Map<string, Buffer>([
      ['/_tree', Buffer.from([9, 8, 7])],
      ['/_full', Buffer.from(rsc)],
      ['/isr/$d$slug/__PAGE__', Buffer.alloc(0)],
    ]),
    postponed: undefined,
    status: 200,
    headers: { 'x-next-cache-tags': tags, 'x-nextjs-stale-time': '300' },
  };
}

export const pageCtx = { kind: 'APP_PAGE', isRoutePPREnabled: false, isFallback: false };
export const pageSetCtx = (revalidate = 60, expire: number | undefined = 31_536_000) => ({
  kind: 'APP_PAGE',
  cacheControl: { revalidate, expire },
  isRoutePPREnabled: false,
  isFallback: false,
});

/** Lets the clock move on, so a revalidation is strictly newer than the entry before it. */
export const tick = () => new Promise((r) => setTimeout(r, 3));
