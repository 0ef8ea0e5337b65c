import type { Request, Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type OpenIDConnectStrategy from 'passport-openidconnect';
import { z } from 'zod';
import { type Clock, epochSeconds } from '../clock';
import { SignInLinkTooLong } from './errors';

export const STATE_COOKIE = 'pacsgate.oidc';
const LIFETIME_SECONDS = 600;
/** Browsers drop cookies over 4096 bytes (name and attributes included). */
const MAX_VALUE_LENGTH = 3800;

const flowSchema = z.object({
  handle: z.string(),
  nonce: z.string().min(1),
  /** The sign-in page's query (return_uri, response_type), checked again when the user comes back. */
  signIn: z.string(),
  expires: z.number(),
});

export type OidcFlow = z.infer<typeof flowSchema>;

type StoreCallback = OpenIDConnectStrategy.SessionStoreCallback;
type VerifyCallback = OpenIDConnectStrategy.SessionVerifyCallback;

/**
 * passport-openidconnect's state store, kept in one HMAC-signed cookie instead of a server session:
 * nothing grows in memory whatever the traffic, and any auth server process can finish a flow another
 * began. The cookie holds the `state` handle, the nonce and the viewer's sign-in query; it is HttpOnly,
 * Secure, SameSite=Lax (the provider's redirect back is a cross-site navigation, which drops Strict
 * cookies), scoped to the OIDC routes' path, and lives ten minutes or until the callback clears it.
 */
export class StateCookieStore {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly path: string,
    private readonly clock: Clock,
  ) {
    // Its own key, so a value signed for another purpose with the same secret never verifies here.
    this.key = createHmac('sha256', secret).update('pacsgate OIDC state cookie').digest();
  }

  store(req: Request, ctx: OpenIDConnectStrategy.SessionStoreContext, appState: unknown, _meta: unknown, done: StoreCallback): void {
    // Fail closed: without a stored nonce passport-openidconnect would skip the ID token's nonce check.
    if (!ctx.nonce) return done(new Error('passport-openidconnect made no nonce for this flow'));
    const flow: OidcFlow = {
      handle: randomBytes(24).toString('base64url'),
      nonce: ctx.nonce,
      signIn: typeof appState === 'string' ? appState : '',
      expires: epochSeconds(this.clock) + LIFETIME_SECONDS,
    };
    const value = this.seal(flow);
    if (value.length > MAX_VALUE_LENGTH) return done(new SignInLinkTooLong());
    (req.res as Response).cookie(STATE_COOKIE, value, { httpOnly: true, secure: true, sameSite: 'lax', path: this.path, maxAge: LIFETIME_SECONDS * 1000 });
    done(null, flow.handle);
  }

  verify(req: Request, handle: unknown, done: VerifyCallback): void {
    const flow = this.read(req);
    if (!flow) return done(null, false, { message: 'no valid state cookie (expired, tampered or never set)' });
    if (typeof handle !== 'string' || !sameText(handle, flow.handle)) return done(null, false, { message: 'state parameter does not match the state cookie' });
    done(null, { nonce: flow.nonce }, flow.signIn);
  }

  /** The request's flow when the cookie is ours and unexpired, whatever the provider sent back. */
  read(req: Request): OidcFlow | undefined {
    const value: unknown = req.cookies?.[STATE_COOKIE];
    if (typeof value !== 'string') return undefined;
    const dot = value.lastIndexOf('.');
    if (dot < 0 || !sameText(value.slice(dot + 1), this.sign(value.slice(0, dot)))) return undefined;
    try {
      const flow = flowSchema.parse(JSON.parse(Buffer.from(value.slice(0, dot), 'base64url').toString('utf8')));
      return flow.expires > epochSeconds(this.clock) ? flow : undefined;
    } catch {
      return undefined;
    }
  }

  /** Each flow is finished once: the callback clears the cookie whatever the outcome. */
  clear(res: Response): void {
    res.clearCookie(STATE_COOKIE, { httpOnly: true, secure: true, sameSite: 'lax', path: this.path });
  }

  private seal(flow: OidcFlow): string {
    const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
