import type { Response, Test } from 'supertest';
import { api, expectStatus, setCookie } from './api';
import type { TestApp } from './test-app';

export const CSRF_COOKIE = '__Host-pacsgate.csrf';

export interface OpenedForm {
  page: Response;
  csrfToken: string;
  /** The `Cookie` header to send back: the CSRF cookie is `Secure`, so nothing resends it over http. */
  cookie: string;
}

/** GETs a page and takes the CSRF field and cookie a browser would keep. */
export async function openForm(t: TestApp, path: string): Promise<OpenedForm> {
  const page = expectStatus(await api(t).get(path), 200);
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  const cookie = setCookie(page, CSRF_COOKIE)?.split(';')[0];
  if (!csrfToken || !cookie) throw new Error(`no CSRF field or cookie on ${path}`);
  return { page, csrfToken, cookie };
}

/** Posts a form the way the browser would after `openForm`. */
export function postForm(t: TestApp, action: string, form: OpenedForm, fields: Record<string, string>): Test {
  return api(t).post(action).type('form').set('Cookie', form.cookie).send({ _csrf: form.csrfToken, ...fields });
}

/** Opens `pagePath` and submits its form to `action` with `fields`. */
export async function submitForm(t: TestApp, pagePath: string, action: string, fields: Record<string, string>): Promise<Response> {
  return postForm(t, action, await openForm(t, pagePath), fields);
}
