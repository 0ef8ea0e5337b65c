import type { Clock } from '../clock';
import { LookupCache } from './lookup-cache';
import { OrthancHttp, type OrthancHttpSettings } from './orthanc-http';

/** Orthanc's REST resource levels that a study's parts are addressed by. */
export type ResourceLevel = 'studies' | 'series' | 'instances';

export interface StudySearch {
  patientName?: string;
  patientId?: string;
  accessionNumber?: string;
  /** `YYYYMMDD` or a DICOM range `YYYYMMDD-YYYYMMDD`. */
  studyDate?: string;
}

export interface StudySummary {
  orthancId: string;
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  accessionNumber: string;
  studyDate: string;
  studyDescription: string;
}

interface OrthancStudy {
  ID: string;
  MainDicomTags?: Record<string, string | undefined>;
  PatientMainDicomTags?: Record<string, string | undefined>;
}

interface LookupMatch {
  ID: string;
  Type: string;
}

const RESOURCE_CACHE_SIZE = 20_000;
const INSTANCE_CACHE_SIZE = 20_000;
/**
 * A SOPInstanceUID's study can change (the instance deleted, another stored under the same UID in
 * another study); an Orthanc id's study cannot (the id is a hash of the UIDs above it).
 */
const INSTANCE_LOOKUP_MAX_AGE_MS = 60_000;
const SEARCH_LIMIT = 50;

/** A value the user typed, matched anywhere in the field; wildcards of its own are dropped (nothing left: no filter). */
function contains(value: string | undefined): string | undefined {
  const literal = value?.replace(/[*?\\]/g, '').trim();
  return literal ? `*${literal}*` : undefined;
}

function summary(study: OrthancStudy): StudySummary {
  const tags = study.MainDicomTags ?? {};
  const patient = study.PatientMainDicomTags ?? {};
  return {
    orthancId: study.ID,
    studyInstanceUid: tags.StudyInstanceUID ?? '',
    patientName: patient.PatientName ?? '',
    patientId: patient.PatientID ?? '',
    accessionNumber: tags.AccessionNumber ?? '',
    studyDate: tags.StudyDate ?? '',
    studyDescription: tags.StudyDescription ?? '',
  };
}

/**
 * The auth server's own client to Orthanc, with the credential Nginx sends. Throws
 * `OrthancUnavailable` when Orthanc cannot answer; lookups of what never changes are cached.
 */
export class OrthancClient {
  private readonly http: OrthancHttp;
  private readonly studyOfResourceCache: LookupCache<string>;
  private readonly studiesOfInstanceCache: LookupCache<readonly string[]>;

  constructor(settings: OrthancHttpSettings, clock: Clock) {
    this.http = new OrthancHttp(settings);
    this.studyOfResourceCache = new LookupCache(RESOURCE_CACHE_SIZE, clock);
    this.studiesOfInstanceCache = new LookupCache(INSTANCE_CACHE_SIZE, clock, INSTANCE_LOOKUP_MAX_AGE_MS);
  }

  async studyExists(studyInstanceUid: string): Promise<boolean> {
    return (await this.lookup(studyInstanceUid)).some((match) => match.Type === 'Study');
  }

  async searchStudies(search: StudySearch): Promise<StudySummary[]> {
    const query = {
      PatientName: contains(search.patientName),
      PatientID: contains(search.patientId),
      AccessionNumber: contains(search.accessionNumber),
      StudyDate: search.studyDate?.trim() || undefined,
    };
    const studies = await this.http.post<OrthancStudy[]>('/tools/find', { Level: 'Study', Query: query, Expand: true, Limit: SEARCH_LIMIT });
    return (studies ?? []).map(summary).sort((a, b) => b.studyDate.localeCompare(a.studyDate));
  }

  /** The StudyInstanceUID a study, series or instance belongs to, if it was looked up before. */
  knownStudyOfResource(level: ResourceLevel, orthancId: string): string | undefined {
    return this.studyOfResourceCache.peek(`${level}/${orthancId}`);
  }

  /** The StudyInstanceUID a study, series or instance (by Orthanc id) belongs to; null: no such resource. */
  studyOfResource(level: ResourceLevel, orthancId: string): Promise<string | null> {
    return this.studyOfResourceCache.get(`${level}/${orthancId}`, async () => {
      const path = level === 'studies' ? `/studies/${orthancId}` : `/${level}/${orthancId}/study`;
      const study = await this.http.get<OrthancStudy>(path);
      return study?.MainDicomTags?.StudyInstanceUID ?? null;
    });
  }

  /** The StudyInstanceUIDs of every instance stored under this SOPInstanceUID, if looked up lately. */
  knownStudiesOfInstance(sopInstanceUid: string): readonly string[] | undefined {
    return this.studiesOfInstanceCache.peek(sopInstanceUid);
  }

  /** The StudyInstanceUIDs of every instance stored under this SOPInstanceUID (usually one); null: none. */
  studiesOfInstance(sopInstanceUid: string): Promise<readonly string[] | null> {
    return this.studiesOfInstanceCache.get(sopInstanceUid, async () => {
      const instances = (await this.lookup(sopInstanceUid)).filter((match) => match.Type === 'Instance');
      if (instances.length === 0) return null;
      const studies = await Promise.all(instances.map((match) => this.studyOfResource('instances', match.ID)));
      // An instance deleted between the two calls: answer nothing rather than part.
      return studies.every((uid) => uid !== null) ? [...new Set(studies)] : null;
    });
  }

  /** Orthanc's resources of any level whose DICOM UID is this one. */
  private async lookup(uid: string): Promise<LookupMatch[]> {
    return (await this.http.post<LookupMatch[]>('/tools/lookup', uid)) ?? [];
  }
}
