import { z } from 'zod';
import { nameField, passwordField } from '../users/fields';
import { MAX_SHARED_STUDIES } from './rules';

/** A DICOM UID: digits in dot-separated components, at most 64 characters (PS3.5 9.1). */
export const studyUidField = z.string().max(64).regex(/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/);

export const pinField = z.string().regex(/^[0-9]{4,12}$/);

const MAX_SHARE_REQUEST_SECONDS = 10 * 365 * 86400;

/** `POST /share`: one of `study` or `studies`; the lifetime is capped later by the setting, not refused. */
export const shareBody = z
  .strictObject({
    password: passwordField.optional(),
    study: studyUidField.optional(),
    studies: z.array(studyUidField).min(1).max(MAX_SHARED_STUDIES).optional(),
    expiresIn: z.number().int().min(60).max(MAX_SHARE_REQUEST_SECONDS).optional(),
    canEditResource: z.boolean().optional(),
    pin: pinField.optional(),
    label: nameField.optional(),
  })
  .refine((body) => (body.study === undefined) !== (body.studies === undefined), { path: ['study'] });

export type ShareBody = z.infer<typeof shareBody>;

export const SHARE_MESSAGES: Record<string, string> = {
  study: 'Give a StudyInstanceUID as study, or a list of them as studies',
  studies: 'Give a StudyInstanceUID as study, or a list of them as studies',
  expiresIn: 'expiresIn must be a whole number of seconds, at least 60',
  pin: 'The PIN must be 4 to 12 digits',
  label: 'The label must be printable text, up to 200 characters',
};

/** The studies of a request, each once, in the order given. */
export const requestedStudies = (body: ShareBody): string[] => [...new Set(body.studies ?? [body.study as string])];
