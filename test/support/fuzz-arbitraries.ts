import fc from 'fast-check';
import { compactToken } from './attack-tokens';

/** Random inputs for the fuzz suite. None of them is, by construction, a token that should open anything. */

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Any text, sent as a header value the way a client sends UTF-8: as its bytes, one latin1 char each. */
export const headerText = (maxLength = 200) =>
  fc.string({ unit: 'binary', maxLength }).map((text) => Buffer.from(text, 'utf8').toString('latin1').replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));

const base64url = (maxLength: number) => fc.string({ unit: fc.constantFrom(...B64URL), maxLength });

/**
 * One character of a real token changed to another base64url character. Changing the header or
 * payload changes the signed input; changing any signature character but the last changes its
 * bytes (only the last one carries padding bits), so the result never verifies.
 */
export const mutatedToken = (tokens: string[]) =>
  fc
    .tuple(fc.constantFrom(...tokens), fc.nat(), fc.constantFrom(...B64URL))
    .map(([token, at, replacement]) => {
      const positions = Array.from(token, (_char, index) => index).filter((index) => token[index] !== '.' && index !== token.length - 1);
      const index = positions[at % positions.length];
      const swapped = token[index] === replacement ? B64URL[(B64URL.indexOf(replacement) + 1) % B64URL.length] : replacement;
      return `${token.slice(0, index)}${swapped}${token.slice(index + 1)}`;
    });

/** A header, the claims of one real token and the signature of another (our tokens all share one header). */
export const splicedToken = (tokens: string[]) =>
  fc
    .tuple(fc.constantFrom(...tokens), fc.constantFrom(...tokens), fc.constantFrom(...tokens))
    .filter(([, claims, signature]) => claims !== signature)
    .map(([header, claims, signature]) => `${header.split('.')[0]}.${claims.split('.')[1]}.${signature.split('.')[2]}`);

/** A JWT-shaped token with random header and claims and a signature nobody made. */
export const forgedToken = (ourKid: string) =>
  fc
    .record({
      alg: fc.oneof(fc.constantFrom('none', 'None', 'HS256', 'RS256', 'RS512', 'PS256', 'ES256'), fc.string({ maxLength: 8 })),
      kid: fc.oneof(fc.constant(ourKid), fc.constantFrom('../../etc/passwd', "' OR 1=1 --", '/dev/null', '__proto__'), fc.string({ maxLength: 40 })),
      type: fc.oneof(fc.constantFrom('access', 'auth', 'refresh'), fc.string({ maxLength: 10 })),
      canEditResource: fc.boolean(),
      username: fc.string({ maxLength: 20 }),
      exp: fc.integer(),
      signature: base64url(400),
    })
    .map(({ alg, kid, type, signature, ...claims }) =>
      compactToken({ alg, typ: 'JWT', kid }, { ...claims, type, jti: 'f', sub: '1', iss: 'https://pacs.example.org/auth' }, () => signature),
    );

/**
 * Tokens that must open nothing: noise, JWT-shaped noise, forgeries, mutations and splices of
 * `realTokens`, and `refusedAsIs` (ours, but of the wrong type or already spent for where they go).
 */
export const unusableToken = (ourKid: string, realTokens: string[], refusedAsIs: string[]) =>
  fc.oneof(
    headerText(300),
    fc.tuple(base64url(60), base64url(200), base64url(350)).map((parts) => parts.join('.')),
    forgedToken(ourKid),
    mutatedToken(realTokens),
    splicedToken(realTokens),
    fc.constantFrom(...refusedAsIs),
    fc.tuple(fc.constantFrom(...refusedAsIs), headerText(20)).map(([token, junk]) => `${token}${junk}`),
  );

/** How the token is put in the Authorization header. */
export const authorizationFor = (token: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom('Bearer ', 'bearer ', 'Bearer  ', '', 'Basic ', 'Token '), token).map(([scheme, value]) => `${scheme}${value}`);

export const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** A JSON value of any shape, or text that is not JSON at all. */
export const anyBody = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('{', '[', '{"a":', 'null', '""', '{"__proto__":{"x":1}}', `${'['.repeat(5000)}${']'.repeat(5000)}`),
);

export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/json; charset=latin1',
  'multipart/form-data; boundary=x',
  '',
);

/** A field value of a wrong or right type. */
export const fieldValue = (plausible: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 4, arbitrary: plausible },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.array(plausible, { maxLength: 3 }) },
  );

/** Near misses of a secret: what an attacker guessing around it would send. */
export const nearMiss = (secret: string) =>
  fc.oneof(
    fc.mixedCase(fc.constant(secret)).filter((value) => value !== secret),
    fc.constantFrom(`${secret} `, ` ${secret}`, `${secret}\u0000`, `${secret}\u0000x`, secret.slice(0, -1), `${secret}\u0301`, `${secret}${secret}`.slice(0, 72)),
    fc.string({ maxLength: 80 }).filter((value) => value !== secret),
  );
