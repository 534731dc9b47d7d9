import type { OutgoingHttpHeaders } from 'node:http';
import { toTtlSeconds } from '@momento-http/core';
import CachePolicy from 'http-cache-semantics';
import type { CacheStatus } from './cache-status';
import { captureResponse, type HeadPlan } from './capture';
import { decideStorage, policyRequest, type StorageDecision, staleOnError } from './freshness';
import {
  clientHasCurrent,
  notModifiedHeaders,
  restoreConditionals,
  storedHeaders,
  takeConditionals,
} from './headers';
import { parseVary, varyValues } from './key';
import type { NormalizedOptions } from './options';
import { policyHeaders } from './policy-headers';
import { storedRange } from './range';
import { type Outcome, prepareEntryHead, reportOutcome } from './serve';
import { responseTags } from './tags';
import type { CacheRequest, CacheResponse, Entry, StoredHeaders } from './types';

/** Origin statuses after which a stale entry may be served (RFC 5861 §4, RFC 9111 §4.2.4). */
const ERROR_STATUSES = new Set([500, 502, 503, 504]);
/** Fields a 304 from the origin may not change in the stored entry (the body is the old one). */
const KEPT_ON_REVALIDATION = new Set(['content-length', 'content-encoding', 'content-range']);

/** A response the origin just produced (or confirmed), shareable with concurrent requests. */
export interface Fresh {
  entry: Entry;
  ttlSeconds: number;
  /** The varied request header values it was produced for. */
  vary: string;
}

export interface OriginCall {
  req: CacheRequest;
  res: CacheResponse;
  next: () => void;
  options: NormalizedOptions;
  /** The stored entry being revalidated, if any (its validators are sent to the origin). */
  stale: Entry | undefined;
  /** A background refresh: record, send nothing. */
  background: boolean;
  /** Called with what to store once the handler has finished. */
  persist: (fresh: Fresh) => void;
  /** Why the request goes to the origin (Cache-Status `fwd`). */
  fwd: NonNullable<CacheStatus['fwd']>;
}

function dropDownstreamHeaders(res: CacheResponse, upstream: OutgoingHttpHeaders): void {
  for (const name of res.getHeaderNames()) if (!(name in upstream)) res.removeHeader(name);
}

/**
 * Sends the request on to the origin handler (`next()`) and watches the response: stores it when
 * the rules allow, answers the client's conditionals, turns an origin 304 into the stored body
 * with refreshed headers, and serves the stale entry when the origin fails (stale-if-error).
 * Resolves with the shareable result, or `undefined` when there is none.
 */
export function callOrigin(call: OriginCall): Promise<Fresh | undefined> {
  const { req, res, options, stale, background, fwd } = call;
  const startedAt = Date.now();
  const upstream = res.getHeaders();
  // The origin must produce a full response we can store: the client's own conditionals are
  // answered here. A stale entry's validators are sent instead, so a 304 can refresh it.
  const conditionals = takeConditionals(req);
  const validators = stale?.status === 200 ? stale.headers : undefined;
  if (typeof validators?.etag === 'string') req.headers['if-none-match'] = validators.etag;
  if (typeof validators?.['last-modified'] === 'string') {
    req.headers['if-modified-since'] = validators['last-modified'];
  }
  // HEAD is answered from a stored GET, so a HEAD miss fetches the GET (Node drops the body).
  const wasHead = req.method === 'HEAD';
  if (wasHead) req.method = 'GET';
  const restore = () => {
    if (wasHead) req.method = 'HEAD';
    restoreConditionals(req, conditionals);
  };

  return new Promise<Fresh | undefined>((resolve) => {
    let decision: StorageDecision | undefined;
    let headers: StoredHeaders = {};
    let result: Fresh | undefined;

    const substitute = (entry: Entry, age: number, outcome: Outcome): HeadPlan => {
      if (background) return { mode: 'hold' };
      dropDownstreamHeaders(res, upstream);
      const { status, body } = prepareEntryHead(req, res, entry, age, outcome, options);
      return { mode: 'substitute', status, body };
    };

    captureResponse(res, options.maxBodyBytes, {
      onHead(status, raw) {
        restore();
        headers = storedHeaders(raw, upstream);
        if (stale && validators && status === 304) {
          const revalidated = revalidate(req, stale, headers, startedAt, options);
          const stored = revalidated.ttlSeconds > 0;
          if (stored) result = revalidated;
          const ttl = CachePolicy.fromObject(
            revalidated.entry.policy as unknown as CachePolicy.CachePolicyObject,
          ).maxAge();
          return substitute(revalidated.entry, 0, {
            state: 'HIT',
            status: { fwd, fwdStatus: 304, stored, ttl },
          });
        }
        if (stale && ERROR_STATUSES.has(status)) {
          const policy = CachePolicy.fromObject(
            stale.policy as unknown as CachePolicy.CachePolicyObject,
          );
          const reason = staleOnError(policy, stale, req, status);
          if (reason) {
            const ttl = policy.maxAge() - policy.age();
            return substitute(stale, policy.age(), {
              state: 'STALE',
              status: { fwd, fwdStatus: status, ttl, detail: reason },
            });
          }
        }
        decision = decideStorage(req, status, headers, options);
        if (background) return { mode: decision ? 'hold' : 'pass' };
        const outcome: Outcome = {
          state: 'MISS',
          status: { fwd, fwdStatus: status, stored: decision !== undefined },
        };
        let plan: HeadPlan = decision ? { mode: 'tee' } : { mode: 'pass' };
        if (status === 200 && clientHasCurrent(req, headers)) {
          for (const name of Object.keys(headers)) res.removeHeader(name);
          for (const [name, value] of Object.entries(notModifiedHeaders(headers))) {
            res.setHeader(name, value);
          }
          plan = { mode: 'substitute', status: 304, body: undefined };
        }
        for (const name of options.removeTargetedFields) res.removeHeader(name);
        reportOutcome(res, outcome, options);
        return plan;
      },
      onEnd(captured, plan) {
        // (A 304 for the client is a substitute too: the origin's body was recorded all the same.)
        if (!result && decision && completeBody(captured, headers) && plan.mode !== 'pass') {
          const entry: Entry = {
            kind: 'entry',
            policy: decision.policy.toObject() as unknown as Record<string, unknown>,
            status: captured.status,
            headers,
            body: captured.body as Buffer,
            tags: responseTags(headers, res),
            storedAt: startedAt,
          };
          const fields = parseVary(headers.vary);
          result = { entry, ttlSeconds: decision.ttlSeconds, vary: varyValues(req, fields) };
        }
        if (result) call.persist(result);
        resolve(result);
      },
      onAbort() {
        restore();
        resolve(undefined);
      },
    });
    call.next();
  });
}

/** The body was recorded whole, and a 206 holds exactly the bytes its Content-Range names. */
function completeBody(
  captured: { body: Buffer | undefined; status: number },
  headers: StoredHeaders,
) {
  if (!captured.body) return false;
  if (captured.status !== 206) return true;
  const range = storedRange(headers['content-range']);
  return range !== undefined && captured.body.byteLength === range.last - range.first + 1;
}

/**
 * RFC 9111 §4.3.4: a 304 for our validators refreshes the stored entry's headers and age. The
 * result is served either way; it is stored again only with a positive lifetime (`ttlSeconds` 0
 * otherwise).
 */
function revalidate(
  req: CacheRequest,
  stale: Entry,
  fromOrigin: StoredHeaders,
  startedAt: number,
  options: NormalizedOptions,
): Fresh {
  // The stored Age described the response when it arrived; carried into the merged headers it
  // would make the refreshed entry exactly as old as before (the 304 brings its own Age, if any).
  const object = { ...stale.policy, resh: { ...(stale.policy.resh as object) } };
  delete (object.resh as Record<string, unknown>).age;
  const policy = CachePolicy.fromObject(object as unknown as CachePolicy.CachePolicyObject);
  const vary = parseVary(stale.headers.vary);
  const { policy: updated } = policy.revalidatedPolicy(policyRequest(req, vary), {
    status: 304,
    headers: policyHeaders(fromOrigin, options.targetedFields),
  });
  const headers: StoredHeaders = { ...stale.headers };
  delete headers.age;
  for (const [name, value] of Object.entries(fromOrigin)) {
    if (!KEPT_ON_REVALIDATION.has(name)) headers[name] = value;
  }
  const ttlMs = updated.timeToLive();
  const entry: Entry = {
    ...stale,
    headers,
    policy: updated.toObject() as unknown as Record<string, unknown>,
    storedAt: startedAt,
  };
  const max = options.maxTtlSeconds;
  const keep = options.keepSeconds * 1000;
  const ttlSeconds =
    ttlMs > 0 ? toTtlSeconds(ttlMs + keep, { defaultTtlSeconds: max, maxTtlSeconds: max }) : 0;
  return { entry, ttlSeconds, vary: varyValues(req, vary) };
}
