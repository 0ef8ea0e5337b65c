import { isOrthancId, type ResourceLevel, type UidLevel } from '../orthanc/orthanc-client';
import { canonicalUri, type CanonicalUri } from './canonical-uri';

/**
 * What a token limited to some studies may do with one request. `resource` and `uid` name what only
 * Orthanc can tell (the study an Orthanc id, a SeriesInstanceUID or a SOPInstanceUID belongs to):
 * the request is allowed when that study is in the scope.
 */
export type ScopeDecision =
  | { readonly kind: 'allow' }
  | { readonly kind: 'refuse' }
  | { readonly kind: 'resource'; readonly level: ResourceLevel; readonly id: string }
  | { readonly kind: 'uid'; readonly level: UidLevel; readonly uid: string };

const ALLOW: ScopeDecision = Object.freeze({ kind: 'allow' });
const REFUSE: ScopeDecision = Object.freeze({ kind: 'refuse' });

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
const LEVELS: ReadonlySet<string> = new Set<ResourceLevel>(['studies', 'series', 'instances']);
/** One DICOM UID: no list, range, wildcard or empty value can pass for one. */
const DICOM_UID = /^[0-9]+(\.[0-9]+)*$/;
/** The spellings Orthanc's DICOMweb filters the study by (platform-notes.md); any other spelling of it is refused. */
const STUDY_FILTER_KEYS: ReadonlySet<string> = new Set(['StudyInstanceUID', '0020000D']);
/** What DICOMweb serves right below `/studies/{uid}`. */
const STUDY_PARTS: ReadonlySet<string> = new Set(['metadata', 'series', 'instances', 'rendered', 'thumbnail']);
const WADO_URI_KEYS: ReadonlySet<string> = new Set(['objectUID', 'studyUID', 'seriesUID']);

/** OHIF sends `fuzzymatching=false` on every QIDO: exact matching, as without it; any other form of the key is refused. */
const exactMatching = (key: string, values: readonly string[]): boolean => key === 'fuzzymatching' && values.length === 1 && values[0] === 'false';

/** A key with its punctuation and letter case dropped: `(0020,000d)` and `studyinstanceuid` both read as the study filter. */
const looseKey = (key: string): string => key.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
const LOOSE_STUDY_KEYS: ReadonlySet<string> = new Set(['studyinstanceuid', '0020000d']);
const LOOSE_WADO_URI_KEYS: ReadonlySet<string> = new Set([...WADO_URI_KEYS].map(looseKey));

const isUid = (value: string): boolean => value.length <= 64 && DICOM_UID.test(value);

/** Whether the query carries a key (any spelling) of these: a route that does not read it refuses it rather than guess. */
const carriesKey = (query: CanonicalUri['query'], looseKeys: ReadonlySet<string>): boolean => [...query.keys()].some((key) => looseKeys.has(looseKey(key)));
const carriesUidKey = (query: CanonicalUri['query']): boolean => carriesKey(query, LOOSE_STUDY_KEYS) || carriesKey(query, LOOSE_WADO_URI_KEYS);

/**
 * The one study a DICOMweb query filters on: `undefined` when it names none, `null` when it cannot be
 * trusted to name exactly one (a repeat, a list, a wildcard, an empty value, another spelling, fuzzy matching on).
 */
function studyFilter(query: CanonicalUri['query']): string | null | undefined {
  let values: readonly string[] | undefined;
  for (const [key, keyValues] of query) {
    const loose = looseKey(key);
    if (loose === 'fuzzymatching' && !exactMatching(key, keyValues)) return null;
    if (!LOOSE_STUDY_KEYS.has(loose)) continue;
    if (!STUDY_FILTER_KEYS.has(key) || values) return null;
    values = keyValues;
  }
  if (!values) return undefined;
  return values.length === 1 && isUid(values[0]) ? values[0] : null;
}

/** QIDO at the root (`/dicom-web/studies?StudyInstanceUID=A`) or anything under `/dicom-web/studies/A`. */
function dicomWebRead(rest: readonly string[], query: CanonicalUri['query'], scope: readonly string[]): ScopeDecision {
  if (carriesKey(query, LOOSE_WADO_URI_KEYS)) return REFUSE;
  const filtered = studyFilter(query);
  if (filtered === null) return REFUSE;
  if (rest.length === 1 && LEVELS.has(rest[0])) return filtered !== undefined && scope.includes(filtered) ? ALLOW : REFUSE;
  const [level, study, part, series, below, instance] = rest;
  if (level !== 'studies' || study === undefined || !scope.includes(study)) return REFUSE;
  // The path names the study; a filter may only repeat it.
  if (filtered !== undefined && filtered !== study) return REFUSE;
  if (part === undefined) return ALLOW;
  if (!STUDY_PARTS.has(part)) return REFUSE;
  if (series === undefined) return ALLOW;
  return part === 'series' ? belowSeries(series, below, instance) : REFUSE;
}

/**
 * `…/series/{S}[/instances/{I}…]`: Orthanc answers 404 when S or I is not in the study of the path,
 * and the gate checks too, by the real study of the deepest UID named (one lookup).
 */
function belowSeries(series: string, below: string | undefined, instance: string | undefined): ScopeDecision {
  if (!isUid(series)) return REFUSE;
  if (below !== 'instances' || instance === undefined) return { kind: 'uid', level: 'Series', uid: series };
  return isUid(instance) ? { kind: 'uid', level: 'Instance', uid: instance } : REFUSE;
}

/** WADO-URI serves whatever `objectUID` names, whatever its `studyUID` says: the instance's own study decides. */
function wadoUriRead(query: CanonicalUri['query'], scope: readonly string[]): ScopeDecision {
  for (const key of query.keys()) if (LOOSE_WADO_URI_KEYS.has(looseKey(key)) && !WADO_URI_KEYS.has(key)) return REFUSE;
  if (carriesKey(query, LOOSE_STUDY_KEYS)) return REFUSE;
  const objects = query.get('objectUID');
  if (objects?.length !== 1 || !isUid(objects[0])) return REFUSE;
  const studies = query.get('studyUID');
  if (studies && (studies.length !== 1 || !scope.includes(studies[0]))) return REFUSE;
  return { kind: 'uid', level: 'Instance', uid: objects[0] };
}

/** `/studies|series|instances/{id}` and below, except the way up to the patient (its other studies). */
function orthancRestRead(level: ResourceLevel, rest: readonly string[], query: CanonicalUri['query']): ScopeDecision {
  if (rest.length === 0 || !isOrthancId(rest[0]) || rest[1] === 'patient') return REFUSE;
  if (carriesUidKey(query)) return REFUSE;
  return { kind: 'resource', level, id: rest[0] };
}

/**
 * The only write a scope allows: STOW-RS to a study of the scope (Orthanc refuses, 409, instances of
 * another study sent there). Orthanc's `/instances` upload is refused: the gate never sees the body,
 * so it cannot prove the study.
 */
function write(method: string, uri: CanonicalUri, scope: readonly string[]): ScopeDecision {
  const [root, level, study] = uri.segments;
  const stow = method === 'POST' && uri.segments.length === 3 && root === 'dicom-web' && level === 'studies' && scope.includes(study);
  return stow && !carriesUidKey(uri.query) ? ALLOW : REFUSE;
}

/**
 * Decides a request of a token limited to `scope` (StudyInstanceUIDs), from its method and raw URI
 * as Nginx passed it. Anything not provably inside the scope is refused: lists, system calls,
 * patients, tools, any URI Orthanc could read differently than it is written.
 */
export function studyScopeDecision(method: string, rawUri: string, scope: readonly string[], canEdit: boolean): ScopeDecision {
  const uri = canonicalUri(rawUri);
  if (!uri) return REFUSE;
  const upper = method.toUpperCase();
  if (!READ_METHODS.has(upper)) return canEdit ? write(upper, uri, scope) : REFUSE;
  const [root, ...rest] = uri.segments;
  if (root === 'dicom-web') return dicomWebRead(rest, uri.query, scope);
  if (root === 'wado' && rest.length === 0) return wadoUriRead(uri.query, scope);
  if (LEVELS.has(root)) return orthancRestRead(root as ResourceLevel, rest, uri.query);
  return REFUSE;
}
