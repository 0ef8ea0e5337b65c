const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a `*` in an allowed origin stands for: exactly one host label (also used for Nginx's CORS map). */
export const HOST_LABEL_PATTERN = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';

/** Turns `https://*.example.org` into a matcher where `*` stands for exactly one host label. */
function patternToRegExp(pattern: string): RegExp {
  const source = escapeRegExp(pattern.toLowerCase()).replace(/\\\*/g, HOST_LABEL_PATTERN);
  return new RegExp(`^${source}$`);
}

/** The viewer origins allowed for CORS and as sign-in `return_uri`. */
export class AllowedOrigins {
  private readonly patterns: RegExp[];

  constructor(readonly entries: readonly string[]) {
    this.patterns = entries.map(patternToRegExp);
  }

  matches(origin: string | undefined): boolean {
    if (!origin) return false;
    const lower = origin.toLowerCase();
    return this.patterns.some((pattern) => pattern.test(lower));
  }

  /** The URL when it is an absolute http(s) URL without credentials on an allowed origin. */
  allowedUrl(candidate: string | undefined): URL | undefined {
    if (!candidate || candidate.length > 2048) return undefined;
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      return undefined;
    }
    const plain = (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    return plain && this.matches(url.origin) ? url : undefined;
  }
}
