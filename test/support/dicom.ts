import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

export interface TestPatient {
  name: string;
  id: string;
}

/** A 64×64 secondary-capture DICOM for `patient` (ImageMagick + DCMTK's img2dcm). */
export function makeSmallDicom(dir: string, patient: TestPatient): string {
  const jpeg = join(dir, `${patient.id}.jpg`);
  const dicom = join(dir, `${patient.id}.dcm`);
  execFileSync('convert', ['-size', '64x64', 'gradient:black-white', '-colorspace', 'Gray', jpeg]);
  execFileSync('img2dcm', [jpeg, dicom, '-k', `PatientName=${patient.name}`, '-k', `PatientID=${patient.id}`]);
  return dicom;
}

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
export function makeCtLikeSeries(dir: string, patient: TestPatient, count: number): TestSeries {
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

/** Writes a 24-bit BMP of about `bytes` directly (ImageMagick would need gigabytes of memory for it). */
function writeBmp(path: string, bytes: number): void {
  const side = Math.ceil(Math.sqrt(bytes / 3));
  const rowBytes = Math.ceil((side * 3) / 4) * 4;
  const header = Buffer.alloc(54);
  header.write('BM');
  header.writeUInt32LE(54 + rowBytes * side, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(side, 18);
  header.writeInt32LE(side, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(rowBytes * side, 34);
  const row = Buffer.alloc(rowBytes, 0x5a);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    for (let y = 0; y < side; y += 1) writeSync(fd, row);
  } finally {
    closeSync(fd);
  }
}

/** A DICOM of at least `bytes` of uncompressed pixels. */
export function makeLargeDicom(dir: string, patient: TestPatient, bytes: number): string {
  const bmp = join(dir, `${patient.id}.bmp`);
  const dicom = join(dir, `${patient.id}.dcm`);
  writeBmp(bmp, bytes);
  execFileSync('img2dcm', ['-i', 'BMP', bmp, dicom, '-k', `PatientName=${patient.name}`, '-k', `PatientID=${patient.id}`]);
  rmSync(bmp);
  return dicom;
}

const BOUNDARY = 'pacsgate-e2e-boundary';

export const STOW_CONTENT_TYPE = `multipart/related; type="application/dicom"; boundary=${BOUNDARY}`;

/** A STOW-RS body holding one DICOM file, streamed from disk. */
export function stowStream(dicomPath: string): { source: Readable; length: number } {
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  async function* parts() {
    yield head;
    yield* createReadStream(dicomPath);
    yield tail;
  }
  return { source: Readable.from(parts()), length: head.length + statSync(dicomPath).size + tail.length };
}
