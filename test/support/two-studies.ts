import { execFileSync } from 'node:child_process';
import { makeSmallDicom, TestPatient } from './dicom';
import { stow } from './dicomweb';
import { bearer, GateClient } from './gate-client';

/** One stored instance and every id the gate can be asked about it by. */
export interface StoredStudy {
  patient: TestPatient;
  file: string;
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  /** Orthanc's ids of the study, series and instance. */
  orthanc: { study: string; series: string; instance: string };
}

/** A tag's value in a DICOM file, read by DCMTK. */
export function dicomTag(file: string, keyword: string): string {
  const line = execFileSync('dcmdump', ['+P', keyword, file], { encoding: 'utf8' });
  const value = /\[([^\]]*)\]/.exec(line)?.[1];
  if (!value) throw new Error(`${file} has no ${keyword}`);
  return value;
}

async function orthancId(client: GateClient, editToken: string, uid: string, type: string): Promise<string> {
  const response = await client.send('POST', '/tools/lookup', { headers: bearer(editToken), body: uid });
  const match = (JSON.parse(response.text) as { ID: string; Type: string }[]).find((found) => found.Type === type);
  if (!match) throw new Error(`Orthanc knows no ${type} ${uid}: ${response.text}`);
  return match.ID;
}

/** Makes a one-instance study for `patient` with img2dcm and stores it through the gate. */
export async function storeStudy(client: GateClient, dir: string, patient: TestPatient, editToken: string): Promise<StoredStudy> {
  const file = makeSmallDicom(dir, patient);
  const stored = await stow(client, file, editToken);
  if (stored.status !== 200) throw new Error(`STOW answered ${stored.status}: ${stored.text}`);
  const [studyUid, seriesUid, sopUid] = ['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID'].map((keyword) => dicomTag(file, keyword));
  return {
    patient,
    file,
    studyUid,
    seriesUid,
    sopUid,
    orthanc: {
      study: await orthancId(client, editToken, studyUid, 'Study'),
      series: await orthancId(client, editToken, seriesUid, 'Series'),
      instance: await orthancId(client, editToken, sopUid, 'Instance'),
    },
  };
}
