import type { RequestHandler } from 'express';
import type { AdminDeps } from '../admin/deps';
import type { OrthancClient } from '../orthanc/orthanc-client';

export interface ShareDeps extends Pick<AdminDeps, 'config' | 'services' | 'hasher' | 'csrf' | 'adminLimit'> {
  orthanc: Pick<OrthancClient, 'studyExists' | 'searchStudies'>;
  /** Failed PIN tries per client address, on top of the per-link lock. */
  pinLimit: RequestHandler;
}
