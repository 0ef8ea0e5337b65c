/** OHIF's pages as Nginx serves them (nginx/pacsgate.conf.template). */
export const VIEWER_ROOT = '/viewer/';

const PLAIN_PATH = /^\/viewer(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?$/;
/** Added by sign-in for other viewers (`state`) or the token being spent: never passed to OHIF. */
const DROPPED = ['token', 'state'];

/**
 * The viewer page a landing URL (`/viewer/<page>?<query>`, as the auth server sees it behind
 * /auth) stands for, without the token: a plain path under /viewer/ (anything else is the study
 * list, so a landing never redirects off the viewer) and the query less `token` and `state`.
 */
export function viewerPage(landingUrl: string): string {
  const url = new URL(landingUrl, 'http://landing.invalid');
  const path = PLAIN_PATH.test(url.pathname) && url.pathname !== '/viewer' ? url.pathname : VIEWER_ROOT;
  for (const name of DROPPED) url.searchParams.delete(name);
  const query = url.searchParams.toString();
  return query ? `${path}?${query}` : path;
}
