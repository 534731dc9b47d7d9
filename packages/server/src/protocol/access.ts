/** Who may do what: the request's API key, and the 401/403 answers. */
import type { Grant } from '../auth/keys.js';
import type { Context } from './server-context.js';
import { type ProtocolRequest, type ProtocolResponse, text } from './types.js';

/**
 * Authenticates a request. `queryToken` is only passed on the cache and topics APIs, the places a
 * `token=` parameter is accepted; the header and the parameter together are a 400.
 */
export function authenticate(
  ctx: Context,
  req: ProtocolRequest,
  queryToken?: string,
): Grant | ProtocolResponse {
  const header = req.header('authorization');
  if (header !== undefined && header !== '' && queryToken !== undefined) {
    return text(
      400,
      'Provide the API key in the Authorization header or the token query parameter, not both',
    );
  }
  const token = header || queryToken;
  if (!token) {
    const where =
      queryToken === undefined && (req.url.startsWith('/cache/') || req.url.startsWith('/topics/'))
        ? ' or the token query parameter'
        : '';
    return text(401, `Missing API key: send it in the Authorization header${where}`);
  }
  const result = ctx.auth.authenticate(token);
  return 'status' in result ? text(result.status, result.message) : result;
}

/** 403 for a key without the needed permission. */
export const forbidden = (what: string): ProtocolResponse =>
  text(403, `The API key does not allow ${what}`);

/** Control plane and fault endpoints need a super-user key. */
export function requireSuperUser(ctx: Context, req: ProtocolRequest): ProtocolResponse | undefined {
  const grant = authenticate(ctx, req);
  if ('status' in grant) return grant;
  return grant.superUser
    ? undefined
    : forbidden('control-plane operations (a super-user key is required)');
}
