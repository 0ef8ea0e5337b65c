/** Audit lines keep a URI's start: enough for the study it names, not a 16 KB header. */
const MAX_URI_LENGTH = 1024;

/**
 * Our tokens are JWTs, whose header `{"` starts them with `eyJ`: caught wherever they sit in a URI,
 * cut short by the length cap or not.
 */
const JWT_SHAPED = /eyJ[\w-]*(?:\.[\w-]*){0,2}/g;

/** The parameter name as the verifier reads it (URLSearchParams decoding), so `%74oken=` is caught too. */
const decodedName = (name: string): string => new URLSearchParams(`${name}=`).keys().next().value ?? '';

function redactTokenParameters(query: string): string {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq >= 0 && decodedName(part.slice(0, eq)) === 'token' ? `${part.slice(0, eq)}=[redacted]` : part;
    })
    .join('&');
}

/**
 * The URI as an audit line may hold it: `token` parameters and JWT-shaped text replaced, length
 * capped before the regular expression runs (its cost grows with the square of the length).
 */
export function redactUri(uri: string): string {
  const start = uri.indexOf('?');
  const withoutParameters = start < 0 ? uri : uri.slice(0, start + 1) + redactTokenParameters(uri.slice(start + 1));
  const capped = withoutParameters.length > MAX_URI_LENGTH ? `${withoutParameters.slice(0, MAX_URI_LENGTH)}…` : withoutParameters;
  return capped.replace(JWT_SHAPED, '[jwt]');
}
