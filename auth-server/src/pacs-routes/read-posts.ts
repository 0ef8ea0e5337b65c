import { canonicalUri, type CanonicalUri } from './canonical-uri';

/**
 * The Orthanc routes that read although their method is POST (Orthanc takes a JSON body for them).
 * Each is explained in SECURITY.md ("Read-only tokens and POST"): none changes stored data and none
 * sends data to another system. `{id}` is one Orthanc resource id. Everything else that is not
 * GET, HEAD or OPTIONS is a write.
 */
export const READ_POST_ROUTES = [
  '/tools/find',
  '/tools/lookup',
  '/tools/bulk-content',
  '/tools/create-archive',
  '/tools/create-media',
  '/tools/create-media-extended',
  '/patients/{id}/archive',
  '/patients/{id}/media',
  '/studies/{id}/archive',
  '/studies/{id}/media',
  '/series/{id}/archive',
  '/series/{id}/media',
] as const;

/** Orthanc's resource ids: a SHA-1 written as five dash-separated groups of eight hex digits. */
const ORTHANC_ID = /^[0-9a-f]{8}(-[0-9a-f]{8}){4}$/;
const ID = '{id}';

const ROUTE_SEGMENTS: readonly (readonly string[])[] = READ_POST_ROUTES.map((route) => route.slice(1).split('/'));

const segmentMatches = (expected: string, actual: string): boolean => (expected === ID ? ORTHANC_ID.test(actual) : expected === actual);

/** The path of `uri` is a route of the table (its query plays no part: Orthanc ignores it there). */
export function isReadPost(uri: CanonicalUri): boolean {
  const { segments } = uri;
  return ROUTE_SEGMENTS.some((route) => route.length === segments.length && route.every((expected, i) => segmentMatches(expected, segments[i])));
}

/**
 * Orthanc runs `GET /x?_method=DELETE` as `DELETE /x` (Rails-style method faking; its header form,
 * X-HTTP-Method-Override, is removed by Nginx). Orthanc percent-decodes the key leniently before
 * comparing, so any key holding a `%` counts as a possible fake too.
 */
export function fakesMethod(rawUri: string): boolean {
  const queryStart = rawUri.indexOf('?');
  if (queryStart < 0) return false;
  const query = rawUri.slice(queryStart + 1);
  // The common case, a viewer's plain query, is settled without splitting it.
  if (!query.includes('_method') && !query.includes('%')) return false;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (key === '_method' || key.includes('%')) return true;
  }
  return false;
}

/**
 * Whether the request may change what Orthanc stores or send data elsewhere. Only asked for a token
 * without edit rights: a full editor's requests are not parsed at all. A POST is a read only when
 * its URI is canonical (one reading for us and Orthanc) and in the table.
 */
export function isWrite(method: string, rawUri: string): boolean {
  switch (method.toUpperCase()) {
    case 'GET':
      return fakesMethod(rawUri);
    case 'HEAD':
    case 'OPTIONS':
      return false;
    case 'POST': {
      const uri = canonicalUri(rawUri);
      return !(uri && isReadPost(uri));
    }
    default:
      return true;
  }
}
