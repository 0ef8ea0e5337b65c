import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackRequest } from './loopback-request';

/**
 * Stores `count` small generated studies in Orthanc through the gate (as a client with an edit
 * token would), so the DICOMweb QIDO scenario has something to list. img2dcm makes new UIDs each run.
 * Returns the Orthanc id of the last instance stored.
 */
export async function seedStudies(gateUrl: string, editToken: string, count: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pacsgate-bench-dicom-'));
  let lastInstance = '';
  try {
    const jpeg = join(dir, 'gradient.jpg');
    execFileSync('convert', ['-size', '64x64', 'gradient:black-white', '-colorspace', 'Gray', jpeg]);
    for (let index = 1; index <= count; index += 1) {
      const dicom = join(dir, `study-${index}.dcm`);
      execFileSync('img2dcm', ['-k', `PatientName=Bench^${index}`, '-k', `PatientID=BENCH${index}`, '-k', 'StudyDescription=pacsgate benchmark', jpeg, dicom]);
      const stored = await loopbackRequest(`${gateUrl}/instances`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${editToken}`, 'Content-Type': 'application/dicom' },
        body: readFileSync(dicom),
      });
      if (stored.status !== 200) throw new Error(`storing study ${index} through the gate answered ${stored.status}: ${stored.body.toString()}`);
      lastInstance = (JSON.parse(stored.body.toString()) as { ID: string }).ID;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lastInstance;
}
