import type { RequestHandler } from 'express';
import type { AdminDeps } from '../admin/deps';
import type { StudyDirectory } from './study-directory';

export interface ShareDeps extends Pick<AdminDeps, 'config' | 'tokens' | 'hasher' | 'csrf' | 'adminLimit'> {
  studies: StudyDirectory;
  /** Failed PIN tries per client address, on top of the per-link lock. */
  pinLimit: RequestHandler;
}
