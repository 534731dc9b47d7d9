/** Builds unsigned test JWTs (the client only reads claims). */
const b64url = (text: string) =>
  btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function fakeJwt(claims: Record<string, unknown>): string {
  return `${b64url('{"alg":"HS512","typ":"JWT"}')}.${b64url(JSON.stringify(claims))}.c2lnbmF0dXJl`;
}

export function v1Key(apiKey: string, endpoint: string): string {
  return btoa(JSON.stringify({ api_key: apiKey, endpoint }));
}
