import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PacsgateApp } from '../../auth-server/src/http/app';
import { HttpTab, type Page } from './http-tab';
import { listen, type ListeningServer } from './listening-server';
import { captureLogs, type LogCapture } from './log-capture';
import { CLIENT_ID, CLIENT_SECRET, type ProviderOptions, startTestProvider, type TestProvider } from './oidc-provider';
import { createTestApp, type TestApp, VIEWER_ORIGIN } from './test-app';

export const PROVIDER_NAME = 'Test IdP';
export const EDITOR_GROUPS = 'pacs-editors,pacs-admins';
export const VIEWER_RETURN_URI = `${VIEWER_ORIGIN}/viewer/index.html?study=1.2.3`;

/** The app as Nginx serves it: under `/auth`, which Nginx strips before passing the request on. */
export function behindAuthPrefix(app: Pick<PacsgateApp, 'handle'>): Pick<PacsgateApp, 'handle'> {
  return {
    handle: (req: IncomingMessage, res: ServerResponse) => {
      if (!req.url?.startsWith('/auth/')) {
        res.writeHead(404).end();
        return;
      }
      req.url = req.url.slice('/auth'.length);
      app.handle(req, res);
    },
  };
}

export interface OidcHarness {
  provider: TestProvider;
  t: TestApp & { cleanup(): Promise<void> };
  server: ListeningServer;
  /** The app's log (warnings and errors): why a sign-in was refused is said there, not on the page. */
  logs: LogCapture;
  publicUrl: string;
  /** A fresh "browser tab": its own cookie jar, the public URL routed to the app. */
  tab(): HttpTab;
  startUrl(returnUri?: string, responseType?: string): string;
  /** `/oidc/start` in `tab`: the provider's authorization URL it redirects to. */
  authorizationUrl(tab: HttpTab, startUrl?: string): Promise<URL>;
  /** Logs in at the provider's page from `authorizationUrl`: the callback URL the provider sends the browser back to. */
  providerAnswer(tab: HttpTab, authorizationUrl: URL | string, login: string): Promise<URL>;
  /** `providerAnswer`, then the callback and its redirect: to the viewer when the sign-in worked. */
  loginAt(tab: HttpTab, authorizationUrl: URL | string, login: string): Promise<Page>;
  /** The whole flow for `login`; the last page redirects to the viewer when it worked. */
  signIn(login: string, tab?: HttpTab): Promise<Page>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<ProviderOptions> {
  env?: Record<string, string>;
  /** The public URL the app is configured with, given the port it listens on; the redirect URI follows it. */
  publicUrl?: (port: number) => string;
}

/** A real provider, the app configured for it and served under `/auth` on a loopback port. */
export async function startOidcHarness(options: HarnessOptions = {}): Promise<OidcHarness> {
  // Listening first: a public URL on localhost names the port.
  const served: { app?: Pick<PacsgateApp, 'handle'> } = {};
  const server = await listen({ handle: (req, res) => served.app?.handle(req, res) });
  const publicUrl = options.publicUrl?.(server.port) ?? 'https://pacs.example.org';
  const provider = await startTestProvider({ redirectUri: `${publicUrl}/auth/oidc/callback`, ...options });
  const logs = captureLogs('warn');
  const t = createTestApp({
    PACSGATE_PUBLIC_URL: publicUrl,
    PACSGATE_OIDC_ISSUER: provider.issuer,
    PACSGATE_OIDC_CLIENT_ID: CLIENT_ID,
    PACSGATE_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    PACSGATE_OIDC_NAME: PROVIDER_NAME,
    PACSGATE_OIDC_EDITOR_GROUPS: EDITOR_GROUPS,
    ...options.env,
  }, { logger: logs.logger });
  // The provider's tokens carry real timestamps: the app's clock must agree with them.
  t.clock.advanceSeconds((Date.now() - t.clock.now()) / 1000);
  served.app = behindAuthPrefix(t.app);

  const harness: OidcHarness = {
    provider,
    t,
    server,
    logs,
    publicUrl,
    tab: () => new HttpTab({ [new URL(publicUrl).origin]: `http://127.0.0.1:${server.port}` }, [provider.issuer]),
    startUrl: (returnUri = VIEWER_RETURN_URI, responseType) => {
      const query = new URLSearchParams({ return_uri: returnUri, ...(responseType && { response_type: responseType }) });
      return `${publicUrl}/auth/oidc/start?${query.toString()}`;
    },
    authorizationUrl: async (tab, startUrl = harness.startUrl()) => {
      const page = await tab.get(startUrl);
      if (page.status !== 302 || !page.location) throw new Error(`/oidc/start answered ${page.status}: ${page.body.slice(0, 300)}`);
      return page.location;
    },
    providerAnswer: async (tab, authorizationUrl, login) => {
      const form = await tab.follow(authorizationUrl);
      const action = /<form[^>]*action="([^"]+)"/.exec(form.body)?.[1];
      if (!action || !form.body.includes('name="login"')) throw new Error(`no login form at the provider (${form.status}): ${form.body.slice(0, 300)}`);
      let page = await tab.postForm(new URL(action, form.url), { prompt: 'login', login, password: 'any password: devInteractions check none' });
      while (page.location?.origin === provider.issuer) page = await tab.get(page.location);
      if (!page.location) throw new Error(`the provider answered ${page.status}: ${page.body.slice(0, 300)}`);
      return page.location;
    },
    loginAt: async (tab, authorizationUrl, login) => tab.follow(await harness.providerAnswer(tab, authorizationUrl, login)),
    signIn: async (login, tab = harness.tab()) => harness.loginAt(tab, await harness.authorizationUrl(tab), login),
    close: async () => {
      await server.close();
      await provider.close();
      await t.cleanup();
    },
  };
  return harness;
}

/** The viewer redirect's `token` and `state` parameters; fails with the page when the flow did not reach the viewer. */
export function viewerParams(page: Page): { token: string; state: unknown } {
  if (page.status !== 303 || page.location?.origin !== VIEWER_ORIGIN) throw new Error(`expected a redirect to the viewer, got ${page.status}: ${page.body.slice(0, 400)}`);
  return { token: page.location.searchParams.get('token') ?? '', state: JSON.parse(page.location.searchParams.get('state') ?? 'null') };
}
