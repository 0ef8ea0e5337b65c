import { z } from 'zod';
import { nameField, passwordField } from '../users/fields';
import { pinField, studyUidField } from './schemas';

/** An optional text field: empty (as browsers send untouched fields) is absent. */
const optionalText = <T extends z.ZodType<unknown, string>>(field: T) =>
  z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined)
    .pipe(field.optional());
const searchText = z.string().max(64);
/** An `<input type="date">` value, YYYY-MM-DD, as DICOM writes dates. */
const dateInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).transform((value) => value.replaceAll('-', ''));

export const searchForm = z.strictObject({
  _csrf: z.string(),
  adminPassword: passwordField,
  patientName: optionalText(searchText),
  patientId: optionalText(searchText),
  accessionNumber: optionalText(searchText),
  studyDate: optionalText(dateInput),
});

export const createForm = z.strictObject({
  _csrf: z.string(),
  adminPassword: passwordField,
  study: studyUidField,
  days: z.coerce.number().int().min(1).max(3650),
  rights: z.enum(['read', 'write']),
  pin: optionalText(pinField),
  label: optionalText(nameField),
});

const linkId = z.uuid();

/** The links form's buttons: show the list, or act on one link (`revoke:<id>`, `unlock:<id>`). */
export const linksForm = z.strictObject({
  _csrf: z.string(),
  adminPassword: passwordField,
  action: z.union([
    z.literal('list').transform(() => ({ action: 'list' as const })),
    z.templateLiteral(['revoke:', linkId]).transform((value) => ({ action: 'revoke' as const, id: value.slice('revoke:'.length) })),
    z.templateLiteral(['unlock:', linkId]).transform((value) => ({ action: 'unlock' as const, id: value.slice('unlock:'.length) })),
  ]),
});

export const PAGE_MESSAGES: Record<string, string> = {
  adminPassword: 'Enter the admin password.',
  patientName: 'Search values are at most 64 characters.',
  patientId: 'Search values are at most 64 characters.',
  accessionNumber: 'Search values are at most 64 characters.',
  studyDate: 'Enter the study date as a date.',
  study: 'Pick a study.',
  days: 'Enter the number of days the link works.',
  rights: 'Choose read only or read and write.',
  pin: 'The PIN must be 4 to 12 digits, or left empty.',
  label: 'The label must be printable text, up to 200 characters.',
  action: 'Choose what to do.',
};
