import { randomUUID } from 'node:crypto';
import { epochSeconds } from '../clock';
import type { ShareLinkRecord } from '../store/store';
import type { ShareTokenClaims } from '../tokens/claims';
import type { Services } from '../services';
import type { PasswordHasher } from '../users/passwords';
import { browserTokenExpiry, PIN_LOCK_AT } from './rules';
import { userAgentFamily } from './user-agent';

export type LinkProblem = 'invalid' | 'expired' | 'revoked' | 'locked';

export type LinkState = { ok: true; claims: ShareTokenClaims; link: ShareLinkRecord } | { ok: false; problem: LinkProblem };

export interface Visitor {
  ip: string | undefined;
  userAgent: string | undefined;
}

/** The scoped access token a browser gets for a link: its studies and rights, its family, never past the link. */
export interface BrowserToken {
  token: string;
  maxAge: number;
}

/** Whether a share token can open its link now. The row is read: /open is no hot path, and the lock lives there. */
export async function checkLink(ctx: Services, token: string): Promise<LinkState> {
  const now = epochSeconds(ctx.clock);
  const decoded = ctx.codec.decode(token, 'share', now);
  if (!decoded.ok) return { ok: false, problem: decoded.failure === 'expired' ? 'expired' : 'invalid' };
  const link = await ctx.store.shareLinks.find(decoded.claims.fam);
  if (!link) return { ok: false, problem: 'invalid' };
  if (link.revokedAt !== null || ctx.revocations.has(link.id)) return { ok: false, problem: 'revoked' };
  if (link.expiresAt <= now) return { ok: false, problem: 'expired' };
  if (link.locked) return { ok: false, problem: 'locked' };
  return { ok: true, claims: decoded.claims, link };
}

/** Counts the use, audits who opened it, and mints the browser's token. */
export async function openLink(ctx: Services, claims: ShareTokenClaims, visitor: Visitor): Promise<BrowserToken> {
  const now = epochSeconds(ctx.clock);
  const exp = browserTokenExpiry(now, ctx.config.ttl.accessToken, claims.exp);
  const token = ctx.codec.sign<'access'>({
    type: 'access',
    jti: randomUUID(),
    sub: claims.sub,
    fam: claims.fam,
    iss: ctx.config.issuer,
    iat: now,
    exp,
    name: claims.name,
    username: claims.username,
    canEditResource: claims.canEditResource,
    scope: claims.scope,
  });
  await ctx.store.shareLinks.recordUse(claims.fam, now);
  ctx.audit.record({ event: 'share.opened', id: claims.fam, ip: visitor.ip, userAgent: userAgentFamily(visitor.userAgent) });
  return { token, maxAge: exp - now };
}

export type PinOutcome = 'right' | 'wrong' | 'locked';

/**
 * Checks a PIN. Every wrong one is counted on the link (so the count survives a restart) and
 * audited; the fifth locks the link. Tries on one link run one after another, so a burst of
 * parallel guesses cannot slip past the count while bcrypt works.
 */
export class PinChecker {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ctx: Services,
    private readonly hasher: PasswordHasher,
  ) {}

  check(linkId: string, pin: string, ip: string | undefined): Promise<PinOutcome> {
    const previous = this.queues.get(linkId) ?? Promise.resolve();
    const attempt = previous.then(() => this.checkNow(linkId, pin, ip));
    const settled = attempt.catch(() => undefined);
    this.queues.set(linkId, settled);
    void settled.then(() => {
      if (this.queues.get(linkId) === settled) this.queues.delete(linkId);
    });
    return attempt;
  }

  private async checkNow(linkId: string, pin: string, ip: string | undefined): Promise<PinOutcome> {
    const link = await this.ctx.store.shareLinks.find(linkId);
    if (!link || link.locked) return 'locked';
    if (await this.hasher.matches(pin, link.pinHash)) return 'right';
    const { failedPins, locked } = await this.ctx.store.shareLinks.recordPinFailure(linkId, PIN_LOCK_AT);
    this.ctx.audit.record({ event: 'share.pin-failed', id: linkId, ip, failures: failedPins });
    if (!locked) return 'wrong';
    this.ctx.audit.record({ event: 'share.locked', id: linkId, ip });
    return 'locked';
  }
}
