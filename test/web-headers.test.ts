import { describe, expect, it } from 'vitest';
import {
  FALLBACK_CSP,
  answerPagesWhole,
  forwardingHeaders,
  guardResponse,
  mediaOrigins,
  trustedProxies,
  widenCsp,
} from '../web/security-headers.js';

/** The web process's half of issue 9's findings 4 and 6: forwarding headers and page headers. */
describe('web server security headers', () => {
  const request = (peer: string, headers: Record<string, string> = {}) =>
    ({ socket: { remoteAddress: peer }, headers }) as unknown as Parameters<
      typeof forwardingHeaders
    >[0];

  it('appends the real peer to X-Forwarded-For, so the API can read the chain from the right', () => {
    const proxies = trustedProxies('127.0.0.1,::1');
    expect(forwardingHeaders(request('203.0.113.5'), proxies)).toMatchObject({
      'x-forwarded-for': '203.0.113.5',
      'x-forwarded-proto': 'http',
    });
    // A client's own header stays in the chain but the real peer comes last.
    expect(
      forwardingHeaders(
        request('::ffff:203.0.113.5', {
          'x-forwarded-for': '1.2.3.4',
          'x-forwarded-proto': 'https',
        }),
        proxies,
      ),
    ).toMatchObject({ 'x-forwarded-for': '1.2.3.4, 203.0.113.5', 'x-forwarded-proto': 'http' });
    // Behind a trusted TLS proxy, its scheme is passed on.
    expect(
      forwardingHeaders(
        request('127.0.0.1', { 'x-forwarded-for': '198.51.100.2', 'x-forwarded-proto': 'https' }),
        proxies,
      ),
    ).toMatchObject({ 'x-forwarded-for': '198.51.100.2, 127.0.0.1', 'x-forwarded-proto': 'https' });
  });

  it('allows media from the S3 endpoint only when storage is s3, and never framing', () => {
    expect(mediaOrigins({ STORAGE_DRIVER: 'fs' })).toEqual([]);
    expect(
      mediaOrigins({
        STORAGE_DRIVER: 's3',
        S3_BUCKET: 'media',
        S3_ENDPOINT: 'http://127.0.0.1:9000/',
        S3_FORCE_PATH_STYLE: 'true',
      }),
    ).toEqual(['http://127.0.0.1:9000']);
    expect(
      mediaOrigins({ STORAGE_DRIVER: 's3', S3_BUCKET: 'media', S3_REGION: 'eu-west-1' }),
    ).toContain('https://media.s3.eu-west-1.amazonaws.com');
    const policy = widenCsp("default-src 'self'; img-src 'self' data:; media-src 'self'", [
      'http://127.0.0.1:9000',
    ]);
    expect(policy).toBe(
      "default-src 'self'; img-src 'self' data: http://127.0.0.1:9000; media-src 'self' http://127.0.0.1:9000; frame-ancestors 'none'",
    );
  });

  /** A response that records its headers and the status it was written with. */
  function fakeResponse() {
    const headers = new Map<string, unknown>();
    const res = {
      status: 0,
      setHeader(name: string, value: unknown) {
        headers.set(name.toLowerCase(), value);
        return res as never;
      },
      removeHeader(name: string) {
        headers.delete(name.toLowerCase());
      },
      writeHead(status: number) {
        res.status = status;
        return res as never;
      },
    };
    return { res, headers };
  }

  it('sets the headers on every answer and widens the CSP SvelteKit sets', () => {
    const { res, headers } = fakeResponse();
    guardResponse(res, ['https://bucket.example.com']);
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('same-origin');
    expect(headers.get('content-security-policy')).toBe(FALLBACK_CSP);
    res.setHeader('Content-Security-Policy', "script-src 'self' 'sha256-x'; img-src 'self'");
    expect(headers.get('content-security-policy')).toBe(
      "script-src 'self' 'sha256-x'; img-src 'self' https://bucket.example.com; frame-ancestors 'none'",
    );
  });

  it('gives a 304 no policy of its own, so the cached page keeps the policy it came with', () => {
    const revalidated = fakeResponse();
    guardResponse(revalidated.res, []);
    revalidated.res.writeHead(304);
    expect(revalidated.headers.has('content-security-policy')).toBe(false);
    // A 304 whose answer names its own policy keeps it; a 200 keeps the fallback.
    const own = fakeResponse();
    guardResponse(own.res, []);
    own.res.setHeader('content-security-policy', "script-src 'self' 'sha256-y'");
    own.res.writeHead(304);
    expect(own.headers.get('content-security-policy')).toContain("'sha256-y'");
    const plain = fakeResponse();
    guardResponse(plain.res, []);
    plain.res.writeHead(200);
    expect(plain.headers.get('content-security-policy')).toBe(FALLBACK_CSP);
  });

  it('answers page navigations whole, while files may still be revalidated', () => {
    const page = {
      headers: {
        'sec-fetch-dest': 'document',
        accept: 'text/html',
        'if-none-match': '"abc"',
        'if-modified-since': 'x',
      } as Record<string, string>,
    };
    answerPagesWhole(page);
    expect(page.headers['if-none-match']).toBeUndefined();
    expect(page.headers['if-modified-since']).toBeUndefined();
    const script = { headers: { 'sec-fetch-dest': 'script', 'if-none-match': '"abc"' } };
    answerPagesWhole(script);
    expect(script.headers['if-none-match']).toBe('"abc"');
    // A client that sends no fetch metadata but asks for HTML is treated as a page.
    const old = { headers: { accept: 'text/html,*/*', 'if-none-match': '"abc"' } } as {
      headers: Record<string, string>;
    };
    answerPagesWhole(old);
    expect(old.headers['if-none-match']).toBeUndefined();
  });
});
