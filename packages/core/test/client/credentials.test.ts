import { describe, expect, it } from 'vitest';
import { assertNotExpired, resolveCredentials } from '../../src/client/credentials';
import {
  AuthenticationError,
  baseUrlFor,
  createClient,
  InvalidArgumentError,
  parseApiKey,
} from '../../src/index';
import { fakeJwt, v1Key } from './jwt';

const CELL = 'cell-4-us-west-2-1.prod.a.momentohq.com';

describe('credential formats', () => {
  it('v1: base64 JSON, the inner api_key is the token, the endpoint becomes api.cache.<cell>', () => {
    const inner = fakeJwt({ sub: 'me', ver: 1, p: '' });
    const creds = resolveCredentials({ apiKey: v1Key(inner, CELL), env: {} });
    expect(creds).toMatchObject({
      format: 'v1',
      token: inner,
      baseUrl: `https://api.cache.${CELL}`,
    });
  });

  it('v1: a base64 string that is not {api_key, endpoint} is a clear error', () => {
    expect(() => parseApiKey(btoa('{"nope":1}'))).toThrow(InvalidArgumentError);
    expect(() => parseApiKey(btoa('{"nope":1}'))).toThrow(/api_key/);
  });

  it('v2: a JWT with t=g needs MOMENTO_ENDPOINT and is sent as is', () => {
    const key = fakeJwt({ t: 'g', jti: 'id' });
    expect(() => resolveCredentials({ apiKey: key, env: {} })).toThrow(/No endpoint for this v2/);
    const creds = resolveCredentials({ apiKey: key, env: { MOMENTO_ENDPOINT: CELL } });
    expect(creds).toMatchObject({ format: 'v2', token: key, baseUrl: `https://api.cache.${CELL}` });
  });

  it('legacy: the c claim (cache.<cell>) gives api.cache.<cell>', () => {
    const key = fakeJwt({ sub: 'me', c: `cache.${CELL}`, cp: `control.${CELL}` });
    const creds = resolveCredentials({ apiKey: key, env: {} });
    expect(creds).toMatchObject({
      format: 'legacy',
      token: key,
      baseUrl: `https://api.cache.${CELL}`,
    });
  });

  it('reads MOMENTO_API_KEY and MOMENTO_ENDPOINT from env', () => {
    const key = fakeJwt({ t: 'g', jti: 'id' });
    const client = createClient({ env: { MOMENTO_API_KEY: key, MOMENTO_ENDPOINT: CELL } });
    expect(client.baseUrl).toBe(`https://api.cache.${CELL}`);
    expect(client.keyFormat).toBe('v2');
  });

  it('an endpoint or MOMENTO_ENDPOINT with a scheme is used as is; baseUrl wins over all', () => {
    const key = fakeJwt({ t: 'g', jti: 'id' });
    expect(
      resolveCredentials({ apiKey: key, env: { MOMENTO_ENDPOINT: 'http://127.0.0.1:4545/' } })
        .baseUrl,
    ).toBe('http://127.0.0.1:4545');
    const legacy = fakeJwt({ c: `cache.${CELL}` });
    expect(
      resolveCredentials({
        apiKey: legacy,
        baseUrl: 'http://localhost:9/x/',
        env: { MOMENTO_ENDPOINT: CELL },
      }).baseUrl,
    ).toBe('http://localhost:9/x');
  });

  it('endpoint forms: bare cell, cache.<cell>, api.cache.<cell>', () => {
    expect(baseUrlFor(CELL)).toBe(`https://api.cache.${CELL}`);
    expect(baseUrlFor(`cache.${CELL}`)).toBe(`https://api.cache.${CELL}`);
    expect(baseUrlFor(`api.cache.${CELL}`)).toBe(`https://api.cache.${CELL}`);
    expect(() => baseUrlFor('not a host')).toThrow(InvalidArgumentError);
  });

  it('a local server without http:// is refused at construction, naming the URL to use', () => {
    const v2 = fakeJwt({ t: 'g' });
    for (const endpoint of ['127.0.0.1:4545', 'localhost:4545', '[::1]:4545', '10.0.0.5:4545']) {
      const url = `http://${endpoint}`;
      expect(() => createClient({ apiKey: v2, env: { MOMENTO_ENDPOINT: endpoint } })).toThrow(
        new InvalidArgumentError(
          `MOMENTO_ENDPOINT "${endpoint}" has no scheme, so it would be read as a Momento cell ` +
            `host (https://api.cache.${endpoint}). The local server is ${url}: set that instead.`,
        ),
      );
      expect(() => createClient({ apiKey: v2, endpoint, env: {} })).toThrow(InvalidArgumentError);
      expect(() => baseUrlFor(endpoint)).toThrow(`The local server is ${url}`);
    }
  });

  it('https:// to a loopback address is refused: the local server speaks plain HTTP', () => {
    const v2 = fakeJwt({ t: 'g' });
    expect(() =>
      createClient({ apiKey: v2, env: { MOMENTO_ENDPOINT: 'https://127.0.0.1:4545' } }),
    ).toThrow(
      /MOMENTO_ENDPOINT "https:\/\/127\.0\.0\.1:4545".*the local server is http:\/\/127\.0\.0\.1:4545$/,
    );
    for (const url of ['https://localhost:4545', 'https://[::1]:4545/'])
      expect(() => createClient({ apiKey: v2, baseUrl: url, env: {} })).toThrow(
        /^baseUrl .* asks for TLS, but the local server speaks plain HTTP: the local server is http:\/\//,
      );
    expect(createClient({ apiKey: v2, endpoint: 'http://127.0.0.1:4545', env: {} }).baseUrl).toBe(
      'http://127.0.0.1:4545',
    );
  });

  it('a v1 key with the local server as host:port (what `key create --v1` writes) is http://', () => {
    const inner = fakeJwt({ t: 'g' });
    for (const endpoint of ['127.0.0.1:4545', 'localhost:4545'])
      expect(resolveCredentials({ apiKey: v1Key(inner, endpoint), env: {} }).baseUrl).toBe(
        `http://${endpoint}`,
      );
    // Set by the user, the same endpoint is theirs to correct: refused, as above.
    expect(() =>
      resolveCredentials({ apiKey: v1Key(inner, '127.0.0.1:4545'), endpoint: '127.0.0.1:4545' }),
    ).toThrow(InvalidArgumentError);
    expect(() => resolveCredentials({ apiKey: v1Key(inner, 'https://127.0.0.1:4545') })).toThrow(
      /The endpoint in this v1 API key .* the local server is http:\/\/127\.0\.0\.1:4545/,
    );
  });

  it('no API key at all is a clear configuration error', () => {
    expect(() => createClient({ env: {} })).toThrow(/No API key/);
  });

  it('an expired exp is an AuthenticationError with code API_KEY_EXPIRED', () => {
    const exp = Math.floor(Date.now() / 1000) - 10;
    const creds = resolveCredentials({ apiKey: fakeJwt({ t: 'g', exp }), endpoint: CELL });
    expect(creds.expiresAtMs).toBe(exp * 1000);
    let error: unknown;
    try {
      assertNotExpired(creds.expiresAtMs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'API_KEY_EXPIRED' });
    expect(() => assertNotExpired((exp + 100) * 1000, exp * 1000)).not.toThrow();
  });
});
