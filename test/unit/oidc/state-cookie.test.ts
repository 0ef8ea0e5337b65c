import type { Request, Response } from 'express';
import { STATE_COOKIE, StateCookieStore } from '../../../auth-server/src/oidc/state-cookie';
import { FakeClock } from '../../support/fake-clock';

const SECRET = 'a session secret of at least thirty-two characters';

/** Runs `store` and returns the cookie value it set and the state handle. */
function startFlow(store: StateCookieStore, signIn = 'return_uri=https%3A%2F%2Fviewer.example.org%2F'): { value: string; handle: string } {
  let value = '';
  const res = { cookie: (_name: string, cookieValue: string) => (value = cookieValue) } as unknown as Response;
  let handle = '';
  store.store({ res } as Request, { nonce: 'n0nce' }, signIn, undefined, (error, stored) => {
    if (error) throw error;
    handle = stored as string;
  });
  return { value, handle };
}

function verify(store: StateCookieStore, value: string, handle: string): unknown {
  let outcome: unknown;
  store.verify({ cookies: { [STATE_COOKIE]: value } } as unknown as Request, handle, (_error, ctx, state) => (outcome = ctx ? { ctx, state } : false));
  return outcome;
}

describe('StateCookieStore', () => {
  const clock = new FakeClock();
  const store = new StateCookieStore(SECRET, '/auth/oidc', clock);

  it('gives back the nonce and the sign-in query for the matching state', () => {
    const { value, handle } = startFlow(store);
    expect(verify(store, value, handle)).toEqual({ ctx: { nonce: 'n0nce' }, state: 'return_uri=https%3A%2F%2Fviewer.example.org%2F' });
    expect(verify(store, value, `${handle.slice(1)}x`)).toBe(false);
  });

  it('refuses a cookie whose content was changed, or signed with another secret', () => {
    const { value, handle } = startFlow(store);
    const [payload, signature] = value.split('.');
    const flow = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const changed = Buffer.from(JSON.stringify({ ...flow, signIn: 'return_uri=https%3A%2F%2Fevil.example%2F' })).toString('base64url');
    expect(verify(store, `${changed}.${signature}`, handle)).toBe(false);
    expect(verify(new StateCookieStore(`${SECRET}!`, '/auth/oidc', clock), value, handle)).toBe(false);
  });

  it('refuses a flow older than ten minutes', () => {
    const { value, handle } = startFlow(store);
    clock.advanceSeconds(601);
    expect(verify(store, value, handle)).toBe(false);
  });

  it('refuses to start a flow without a nonce, so the nonce check can never be skipped', () => {
    const setCookie = jest.fn();
    const done = jest.fn();
    store.store({ res: { cookie: setCookie } as unknown as Response } as Request, {}, 'return_uri=x', undefined, done);
    expect(done).toHaveBeenCalledWith(expect.any(Error));
    expect(setCookie).not.toHaveBeenCalled();
  });

  it('refuses to start a flow whose cookie would be too big for browsers', () => {
    expect(() => startFlow(store, `return_uri=${'x'.repeat(4000)}`)).toThrow('too long');
  });
});
