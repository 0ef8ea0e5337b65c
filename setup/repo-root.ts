/** The repository root, found as the auth server finds its views. */
export { PROJECT_ROOT as REPO_ROOT } from '../auth-server/src/http/paths';
