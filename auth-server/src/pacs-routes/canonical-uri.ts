/**
 * The one spelling of a PACS URL the gate decides on. Nginx hands us the raw `$request_uri`, while
 * Orthanc (1.10+) percent-decodes the whole path (`%2F` included), merges `//`, drops `.` and
 * resolves `..`: any path those steps would change could name another resource than the one we
 * read, so it is refused rather than normalized by a guess of ours. Likewise a `_method` query key,
 * with which Orthanc fakes another HTTP method.
 */
export interface CanonicalUri {
  /** '/dicom-web/studies/1.2.3/series' */
  readonly path: string;
  /** ['dicom-web', 'studies', '1.2.3', 'series']; [] for '/' */
  readonly segments: readonly string[];
  /** Decoded keys -> every value in order (repeats kept). */
  readonly query: ReadonlyMap<string, readonly string[]>;
}

/** Unreserved and sub-delim characters plus ':' and '@' (RFC 3986 pchar without '%'). */
const SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;
/** A request target is printable ASCII; a raw space, control or non-ASCII byte has no one reading. */
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

function canonicalSegments(path: string): string[] | null {
  if (path === '/') return [];
  if (!path.startsWith('/')) return null;
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') return null;
  }
  return segments;
}

const decodeQueryPart = (part: string): string => decodeURIComponent(part.replace(/\+/g, ' '));

function parseQuery(query: string): Map<string, string[]> | null {
  const byKey = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    // One key, one spelling: an encoded key could read as a name we decide on. And Orthanc runs
    // GET ?_method=DELETE as a DELETE: the method it runs would not be the one we read.
    if (rawKey.includes('%') || rawKey === '_method') return null;
    let key: string;
    let value: string;
    try {
      key = decodeQueryPart(rawKey);
      value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
    } catch {
      return null; // a malformed escape or an escape that is not UTF-8
    }
    const values = byKey.get(key);
    if (values) values.push(value);
    else byKey.set(key, [value]);
  }
  return byKey;
}

/** null = not canonical: Orthanc might read it differently than it is written, so refuse it. */
export function canonicalUri(rawUri: string): CanonicalUri | null {
  if (!PRINTABLE_ASCII.test(rawUri) || rawUri.includes('#')) return null;
  const queryStart = rawUri.indexOf('?');
  const path = queryStart < 0 ? rawUri : rawUri.slice(0, queryStart);
  const segments = canonicalSegments(path);
  if (!segments) return null;
  const query = queryStart < 0 ? new Map<string, string[]>() : parseQuery(rawUri.slice(queryStart + 1));
  return query && { path, segments, query };
}
