interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
  attributes: string;
}

/**
 * A tiny cookie jar: host-only cookies matched by host and path, removed by Max-Age=0 or a past
 * Expires. `Secure` is deliberately ignored: the tests talk plain http to servers that sit behind
 * TLS in production, so they send our Secure cookies back by hand, as the browser would over https.
 */
export class CookieJar {
  private cookies: StoredCookie[] = [];

  take(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const cookie = { name: pair.slice(0, eq), value: pair.slice(eq + 1), host: url.host, path: attribute(attributes, 'path') ?? defaultPath(url), attributes: attributes.join('; ') };
      this.cookies = this.cookies.filter((old) => !(old.name === cookie.name && old.host === cookie.host && old.path === cookie.path));
      if (!expired(attributes)) this.cookies.push(cookie);
    }
  }

  header(url: URL): string | undefined {
    const sent = this.cookies.filter((cookie) => cookie.host === url.host && pathMatches(url.pathname, cookie.path));
    return sent.length > 0 ? sent.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') : undefined;
  }

  /** The attributes a cookie was set with (`HttpOnly; Secure; ...`), to check them. */
  attributesOf(name: string): string | undefined {
    return this.cookies.find((cookie) => cookie.name === name)?.attributes;
  }

  has(name: string): boolean {
    return this.cookies.some((cookie) => cookie.name === name);
  }
}

function attribute(attributes: string[], name: string): string | undefined {
  const found = attributes.find((part) => part.toLowerCase().startsWith(`${name}=`));
  return found?.slice(name.length + 1);
}

function expired(attributes: string[]): boolean {
  const maxAge = attribute(attributes, 'max-age');
  if (maxAge !== undefined) return Number(maxAge) <= 0;
  const expires = attribute(attributes, 'expires');
  return expires !== undefined && Date.parse(expires) <= Date.now();
}

/** RFC 6265 §5.1.4. */
function defaultPath(url: URL): string {
  const slash = url.pathname.lastIndexOf('/');
  return slash > 0 ? url.pathname.slice(0, slash) : '/';
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  return requestPath === cookiePath || requestPath.startsWith(cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`);
}
