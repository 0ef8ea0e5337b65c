import { MAX_AUTH_CACHE_SECONDS } from '../auth-server/src/verify/cache-control';

/**
 * The auth cache (PACSGATE_AUTH_CACHE_SECONDS, 1 s by default, 0 turns it off): Nginx keeps
 * `/verify`'s 204s that long, so the hundreds of requests a viewer sends with one token ask the
 * auth server once per interval.
 * Nginx caches only what the auth server marks cacheable: a 204 carrying
 * `Cache-Control: max-age=<min(cache seconds, seconds left on the token)>`; refusals say `no-store`
 * and are refused by `proxy_no_cache` too. The trade-off: a revoked token keeps working for up to
 * that many seconds, plus up to one (Nginx's cache clock counts whole seconds). The cache files hold
 * the key (the token) in clear for as long: their directory is in memory (/dev/shm), private to
 * Nginx's workers, and entries unused for that long are deleted.
 */
export interface AuthCache {
  seconds: number;
  /** Written by Nginx's workers: it must be reachable by their user. */
  dir: string;
}

function checkedSeconds(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_AUTH_CACHE_SECONDS) {
    throw new Error(`nginx setting authCache.seconds must be a whole number from 1 to ${MAX_AUTH_CACHE_SECONDS}: ${seconds}`);
  }
  return seconds;
}

/**
 * A GET, HEAD or OPTIONS whose query has no key with `_` or `%`: a read for every token (no key can
 * fake another method, pacs-routes/read-posts.ts), whatever its path, so all such requests of one
 * token share one cached answer. Every other request, read POSTs included, is keyed by its method
 * and whole URI: its answer is reused only for that very request, so a read POST allowed to a
 * read-only token can never stand in for a write (and a table kept here too is not needed).
 */
export const PLAIN_READ = '~^(GET|HEAD|OPTIONS) [^?]*(\\?[^&=_%]*(=[^&]*)?(&[^&=_%]*(=[^&]*)?)*)?$';

/** http-level lines: the cache zone and the parts of its key that need a map. Empty when off. */
export function authCacheHttpDirectives(cache: AuthCache | null): string {
  if (!cache) return '';
  return [
    `  proxy_cache_path ${cache.dir} levels=1:2 keys_zone=pacsgate_verify:10m max_size=64m inactive=${checkedSeconds(cache.seconds)}s use_temp_path=off;`,
    '  map "$request_method $request_uri" $verify_request_class {',
    `    "${PLAIN_READ}" read;`,
    '    default "$request_method $request_uri";',
    '  }',
    '  map $request_uri $verify_query_token {',
    '    "~[?&]token=(?<verify_query_token_value>[^&]*)" $verify_query_token_value;',
    '    default "";',
    '  }',
    '  map $upstream_status $verify_not_allowed {',
    '    204 0;',
    '    default 1;',
    '  }',
  ].join('\n');
}

/**
 * Lines for the `/_verify` location. The key holds everything `/verify` decides on: the request's
 * class (above), the token wherever it came from, and the Origin and Referer it checks.
 */
export function authCacheVerifyDirectives(cache: AuthCache | null): string {
  if (!cache) return '';
  return [
    '      proxy_cache pacsgate_verify;',
    '      proxy_cache_key "$verify_request_class|$http_authorization|$verify_query_token|$cookie_pacsgate_token|$http_origin|$http_referer";',
    '      proxy_no_cache $verify_not_allowed;',
    // A hit otherwise opens and closes its cache file each time; expiry is still checked against the
    // shared zone and the expiry written in the file, so a held-open file never extends an answer.
    '      open_file_cache max=10000 inactive=10s;',
  ].join('\n');
}
