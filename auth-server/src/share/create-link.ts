import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/events';
import { epochSeconds } from '../clock';
import { NotFound } from '../errors';
import type { OrthancClient } from '../orthanc/orthanc-client';
import type { Services } from '../services';
import type { PasswordHasher } from '../users/passwords';
import { shareLifetime } from './rules';

export interface ShareRequest {
  studies: string[];
  expiresIn?: number;
  canEditResource: boolean;
  pin?: string;
  label?: string;
}

export interface CreatedLink {
  id: string;
  token: string;
  url: string;
  /** ISO 8601. */
  expiresAt: string;
}

export interface ShareContext {
  services: Services;
  hasher: PasswordHasher;
  /** Share links are made only for studies Orthanc has. */
  orthanc: Pick<OrthancClient, 'studyExists'>;
}

export const isoTime = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString();

/**
 * Makes a link to studies that exist in Orthanc: the row (PIN as a bcrypt hash) and the signed share
 * token, which is shown once and never stored. `createdBy` is `admin` or the sharing editor.
 */
export async function createShareLink(ctx: ShareContext, request: ShareRequest, createdBy: string, actor: Actor): Promise<CreatedLink> {
  for (const study of request.studies) {
    if (!(await ctx.orthanc.studyExists(study))) throw new NotFound('Study not found');
  }
  const { config, store, codec, clock, audit } = ctx.services;
  const now = epochSeconds(clock);
  const id = randomUUID();
  const expiresAt = now + shareLifetime(request.expiresIn, config.ttl.shareLink);
  const pinHash = request.pin === undefined ? null : await ctx.hasher.hash(request.pin);
  const { studies, canEditResource } = request;
  await store.shareLinks.create({ id, label: request.label ?? null, studies, canEditResource, pinHash, createdBy, expiresAt }, now);
  const token = codec.sign<'share'>({
    type: 'share',
    jti: randomUUID(),
    sub: `share:${id}`,
    iss: config.issuer,
    iat: now,
    exp: expiresAt,
    fam: id,
    scope: studies,
    canEditResource,
    pin: pinHash !== null,
    name: request.label ?? '',
    username: createdBy,
  });
  audit.record({ event: 'share.created', id, createdBy, studies, canEditResource, pin: pinHash !== null, expiresAt: isoTime(expiresAt), ...actor });
  return { id, token, url: `${config.publicUrl}/auth/open/${token}`, expiresAt: isoTime(expiresAt) };
}
