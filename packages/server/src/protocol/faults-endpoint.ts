/** Fault injection over HTTP: applying a matched rule, and the `/_faults` endpoint that adds rules. */
import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultAction, FaultRuleError, parseFaultRule } from '../faults.js';
import { requireSuperUser } from './access.js';
import type { MaybePromise } from './respond.js';
import type { Context } from './server-context.js';
import {
  json,
  methodNotAllowed,
  NO_CONTENT,
  type ProtocolRequest,
  type ProtocolResponse,
  text,
} from './types.js';

/** Drops the connection without an answer (a `reset` fault, or a delay cut short by shutdown). */
export const RESET: ProtocolResponse = Object.freeze({ status: 0, reset: true });

/** Waits, resets or answers as the rule says; otherwise hands the request on to `next`. */
export async function applyFault(
  ctx: Context,
  req: ProtocolRequest,
  path: string,
  qs: string,
  fault: FaultAction,
  next: (
    ctx: Context,
    req: ProtocolRequest,
    path: string,
    qs: string,
  ) => MaybePromise<ProtocolResponse>,
): Promise<ProtocolResponse> {
  if (fault.delayMs > 0) {
    // On shutdown the delay ends early and the request is dropped like a reset.
    const aborted = await sleep(fault.delayMs, false, { signal: ctx.shutdown.signal }).catch(
      () => true,
    );
    if (aborted) return RESET;
  }
  if (fault.reset) return RESET;
  if (fault.status !== undefined) {
    return text(
      fault.status,
      `Injected fault: ${fault.status}`,
      fault.status === 429 ? { 'retry-after': '1' } : undefined,
    );
  }
  return next(ctx, req, path, qs);
}

export /** `POST /_faults` (JSON rule; `path` may be `{"regex": "..."}`), `DELETE /_faults`. Super-user only. */
async function handleFaults(ctx: Context, req: ProtocolRequest): Promise<ProtocolResponse> {
  if (req.method !== 'POST' && req.method !== 'DELETE') return methodNotAllowed('POST, DELETE');
  const denied = requireSuperUser(ctx, req);
  if (denied) return denied;
  if (req.method === 'DELETE') {
    ctx.faults.clear();
    return NO_CONTENT;
  }
  const body = await req.readBody(16 * 1024);
  if (body === undefined) return { ...text(413, 'Fault rule too large'), bodyUnread: true };
  try {
    const raw = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const path = raw?.path as { regex?: unknown } | undefined;
    if (path && typeof path === 'object' && typeof path.regex === 'string') {
      raw.path = new RegExp(path.regex);
    }
    const rule = parseFaultRule(raw);
    ctx.faults.add(rule);
    return json(201, {
      ...rule,
      path: rule.path instanceof RegExp ? { regex: rule.path.source } : rule.path,
    });
  } catch (error) {
    return text(
      400,
      `Invalid fault rule: ${error instanceof FaultRuleError ? error.message : 'not JSON'}`,
    );
  }
}
