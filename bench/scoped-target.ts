import { loopbackRequest } from './loopback-request';

/** The URLs of one stored instance that the scoped-versus-full scenarios load. */
export interface ScopedTarget {
  studyUid: string;
  /** WADO-RS: the instance's first frame. */
  framesPath: string;
  /** Orthanc REST: the instance's series, by Orthanc id (a scoped token's one cached lookup). */
  restPath: string;
}

async function json<T>(gateUrl: string, path: string, token: string): Promise<T> {
  const response = await loopbackRequest(`${gateUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.body.toString()}`);
  return JSON.parse(response.body.toString()) as T;
}

interface Resource {
  MainDicomTags: Record<string, string>;
  ParentSeries?: string;
  ParentStudy?: string;
}

/** Reads the UIDs of an instance Orthanc stored (by its Orthanc id) through the gate. */
export async function scopedTarget(gateUrl: string, token: string, instanceId: string): Promise<ScopedTarget> {
  const instance = await json<Resource>(gateUrl, `/instances/${instanceId}`, token);
  const series = await json<Resource>(gateUrl, `/series/${instance.ParentSeries}`, token);
  const study = await json<Resource>(gateUrl, `/studies/${series.ParentStudy}`, token);
  const [studyUid, seriesUid, sopUid] = [study.MainDicomTags.StudyInstanceUID, series.MainDicomTags.SeriesInstanceUID, instance.MainDicomTags.SOPInstanceUID];
  return {
    studyUid,
    framesPath: `/dicom-web/studies/${studyUid}/series/${seriesUid}/instances/${sopUid}/frames/1`,
    restPath: `/series/${instance.ParentSeries}`,
  };
}
