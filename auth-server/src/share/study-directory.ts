import { HttpError } from '../errors';

/** What an admin can look studies up by on the share page; empty fields are left out. */
export interface StudySearch {
  patientName?: string;
  patientId?: string;
  accessionNumber?: string;
  /** DICOM form, YYYYMMDD. */
  studyDate?: string;
}

export interface StudySummary {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  accessionNumber: string;
  studyDate: string;
  description: string;
}

/** The studies of the PACS as share links see them. */
export interface StudyDirectory {
  exists(studyInstanceUid: string): Promise<boolean>;
  /** At most `SEARCH_LIMIT` studies. */
  search(query: StudySearch): Promise<StudySummary[]>;
}

/** What the directory needs of the auth server's Orthanc client: JSON POSTs, `null` for a 404, a throw when Orthanc cannot answer. */
export interface OrthancJsonApi {
  post<T>(path: string, body: unknown): Promise<T | null>;
}

export const SEARCH_LIMIT = 50;

interface ExpandedStudy {
  MainDicomTags?: Record<string, string | undefined>;
  PatientMainDicomTags?: Record<string, string | undefined>;
}

const summary = (study: ExpandedStudy): StudySummary => {
  const tags = study.MainDicomTags ?? {};
  const patient = study.PatientMainDicomTags ?? {};
  return {
    studyInstanceUid: tags.StudyInstanceUID ?? '',
    patientName: patient.PatientName ?? '',
    patientId: patient.PatientID ?? '',
    accessionNumber: tags.AccessionNumber ?? '',
    studyDate: tags.StudyDate ?? '',
    description: tags.StudyDescription ?? '',
  };
};

/** Orthanc's query: a name matches anywhere in it (case-insensitive in Orthanc), ids and date exactly. */
function findQuery(query: StudySearch): Record<string, string> {
  const find: Record<string, string> = {};
  if (query.patientName) find.PatientName = `*${query.patientName}*`;
  if (query.patientId) find.PatientID = query.patientId;
  if (query.accessionNumber) find.AccessionNumber = query.accessionNumber;
  if (query.studyDate) find.StudyDate = query.studyDate;
  return find;
}

/** Studies through Orthanc's `/tools/find`. Orthanc being down is a 503 for the caller, never a 500. */
export class OrthancStudyDirectory implements StudyDirectory {
  constructor(private readonly orthanc: OrthancJsonApi) {}

  async exists(studyInstanceUid: string): Promise<boolean> {
    const ids = await this.find<string[]>({ Level: 'Study', Query: { StudyInstanceUID: studyInstanceUid }, Limit: 1 });
    return (ids ?? []).length > 0;
  }

  async search(query: StudySearch): Promise<StudySummary[]> {
    const studies = await this.find<ExpandedStudy[]>({ Level: 'Study', Expand: true, Query: findQuery(query), Limit: SEARCH_LIMIT });
    return (studies ?? []).map(summary);
  }

  private async find<T>(body: unknown): Promise<T | null> {
    try {
      return await this.orthanc.post<T>('/tools/find', body);
    } catch {
      throw new HttpError(503, 'The PACS is not answering, try again in a moment', { 'Retry-After': '5' });
    }
  }
}
