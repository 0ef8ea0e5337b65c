import { CookieJar } from './cookie-jar';

export interface Page {
  url: URL;
  status: number;
  location?: URL;
  body: string;
  setCookies: string[];
}

/**
 * An HTTP client that behaves like a browser tab for redirects and cookies, without a browser.
 * `routes` sends a public origin (where Nginx would be) to the local server that stands in for it;
 * origins that are neither routed nor `reachable` (a viewer's) end the redirect chain.
 */
export class HttpTab {
  readonly jar = new CookieJar();

  constructor(
    private readonly routes: Record<string, string>,
    private readonly reachable: string[] = [],
  ) {}

  get(url: string | URL, headers: Record<string, string> = {}): Promise<Page> {
    return this.send('GET', new URL(url), headers);
  }

  postForm(url: string | URL, fields: Record<string, string>): Promise<Page> {
    return this.send('POST', new URL(url), { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(fields).toString());
  }

  /** GETs `url` and follows redirects while they stay on servers this client can reach. */
  async follow(url: string | URL): Promise<Page> {
    let page = await this.get(url);
    for (let hops = 0; page.location && this.canReach(page.location); hops++) {
      if (hops > 10) throw new Error(`redirect loop from ${String(url)}`);
      page = await this.get(page.location);
    }
    return page;
  }

  canReach(url: URL): boolean {
    return url.origin in this.routes || this.reachable.includes(url.origin);
  }

  private async send(method: string, url: URL, headers: Record<string, string>, body?: string): Promise<Page> {
    const target = new URL(url.pathname + url.search, this.routes[url.origin] ?? url.origin);
    const cookie = this.jar.header(url);
    const response = await fetch(target, { method, body, redirect: 'manual', headers: { ...(cookie && { cookie }), ...headers } });
    const setCookies = response.headers.getSetCookie();
    this.jar.take(url, setCookies);
    const location = response.headers.get('location');
    return { url, status: response.status, location: location ? new URL(location, url) : undefined, body: await response.text(), setCookies };
  }
}
