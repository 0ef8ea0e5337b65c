import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

// The series the viewer's end-to-end test and the benchmark's study load both use.

/** A new DICOM UID under the UUID-derived root 2.25 (PS3.5 B.2). */
export const newUid = (): string => `2.25.${BigInt(`0x${randomBytes(16).toString('hex')}`).toString()}`;

export interface TestSeries {
  studyUid: string;
  seriesUid: string;
  files: string[];
}

/**
 * A CT-like series: `count` uncompressed 256×256 MONOCHROME2 slices of one study and series,
 * numbered and positioned 2 mm apart, each a mid-grey field with a bright disc whose size changes
 * slice by slice (so a rendered slice is told from an empty viewport by its bright centre).
 * ImageMagick draws, img2dcm wraps the JPEG, dcmdjpeg decompresses it.
 */
export function makeCtLikeSeries(dir: string, patient: { name: string; id: string }, count: number): TestSeries {
  const studyUid = newUid();
  const seriesUid = newUid();
  const files: string[] = [];
  for (let slice = 1; slice <= count; slice += 1) {
    const jpeg = join(dir, `${patient.id}-${slice}.jpg`);
    const compressed = join(dir, `${patient.id}-${slice}.jpeg.dcm`);
    const dicom = join(dir, `${patient.id}-${slice}.dcm`);
    execFileSync('convert', ['-size', '256x256', 'xc:gray35', '-fill', 'white', '-draw', `circle 128,128 128,${40 + slice * 2}`, '-colorspace', 'Gray', jpeg]);
    const keys = [
      `PatientName=${patient.name}`, `PatientID=${patient.id}`, `StudyInstanceUID=${studyUid}`, `SeriesInstanceUID=${seriesUid}`,
      'Modality=CT', 'StudyDescription=pacsgate viewer test', 'SeriesDescription=CT-like series', 'SeriesNumber=1',
      `InstanceNumber=${slice}`, `ImagePositionPatient=0\\0\\${slice * 2}`, 'ImageOrientationPatient=1\\0\\0\\0\\1\\0',
      'PixelSpacing=0.8\\0.8', 'SliceThickness=2',
    ];
    execFileSync('img2dcm', [jpeg, compressed, ...keys.flatMap((key) => ['-k', key])]);
    execFileSync('dcmdjpeg', [compressed, dicom]);
    rmSync(jpeg);
    rmSync(compressed);
    files.push(dicom);
  }
  return { studyUid, seriesUid, files };
}

