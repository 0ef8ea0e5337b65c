import { bearer, GateClient, GateResponse } from './gate-client';
import { STOW_CONTENT_TYPE, stowStream } from './dicom';

export function stow(client: GateClient, dicomPath: string, token: string): Promise<GateResponse> {
  return client.send('POST', '/dicom-web/studies', {
    headers: { ...bearer(token), 'Content-Type': STOW_CONTENT_TYPE, Accept: 'application/dicom+json' },
    stream: stowStream(dicomPath),
  });
}

/** QIDO-RS: the DICOM JSON of the studies of one patient. */
export async function studiesOf(client: GateClient, patientId: string, token: string): Promise<Record<string, { Value?: unknown[] }>[]> {
  const response = await client.get(`/dicom-web/studies?PatientID=${encodeURIComponent(patientId)}`, { ...bearer(token), Accept: 'application/dicom+json' });
  if (response.status !== 200) throw new Error(`QIDO answered ${response.status}: ${response.text}`);
  return response.text.trim() === '' ? [] : (JSON.parse(response.text) as Record<string, { Value?: unknown[] }>[]);
}

export const STUDY_INSTANCE_UID = '0020000D';
