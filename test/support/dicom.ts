import { execFileSync } from 'node:child_process';
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
