/**
 * A token in the query is read with URLSearchParams, which percent-decodes keys (`%74oken` reads
 * as `token`) and takes the first of repeated keys. Nginx removes the token from the URI it sends
 * Orthanc by matching the literal `token=` once, so any other spelling, or a second `token`
 * parameter, would carry a token on to Orthanc's URI and logs. Such a query is refused, by Nginx
 * (400, its map is rendered from the pattern below) and by `/verify` alike.
 */

/** Each letter of `token` as written or percent-encoded in either hex case: what URLSearchParams reads as `token`. */
const ANY_SPELLING = '(?:t|%74)(?:o|%6[Ff])(?:k|%6[Bb])(?:e|%65)(?:n|%6[Ee])(?:[=&]|$)';

/**
 * Matches a query string (without `?`) holding a `token` key written with a `%`, or two `token`
 * keys. Plain PCRE and JavaScript alike: Nginx's map uses this very text.
 */
export const UNSTRIPPABLE_TOKEN_KEY = `(?:^|&)(?:(?=[^&=]*%)${ANY_SPELLING}|token(?:[=&]|$).*&${ANY_SPELLING})`;

const unstrippable = new RegExp(UNSTRIPPABLE_TOKEN_KEY);

/** Whether a URI's query names the token in a way Nginx would not strip before Orthanc. */
export function hasUnstrippableTokenKey(uri: string | undefined): boolean {
  const start = uri?.indexOf('?') ?? -1;
  return start >= 0 && unstrippable.test((uri as string).slice(start + 1));
}
