import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSmallDicom } from '../support/dicom';
import { orthancConfigOf, render } from '../support/kubernetes';
import { type ShippedOrthanc, startShippedOrthanc } from '../support/shipped-orthanc';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { dicomTag } from '../support/two-studies';

// Several Orthancs on one PostgreSQL index, with the orthanc.json the high-availability Kubernetes
// overlay ships (index and DICOM files both in PostgreSQL, no lock), run by Debian's Orthanc and
// orthanc-postgresql plugin against a real PostgreSQL 15. Each Orthanc is asked directly: what is
// stored through one must be served, found and deleted through the other.

let postgres: TestPostgres;
let work: string;
let a: ShippedOrthanc;
let b: ShippedOrthanc;

async function store(orthanc: ShippedOrthanc, file: string): Promise<string> {
  const response = await fetch(`${orthanc.url}/instances`, { method: 'POST', body: readFileSync(file) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { ID: string }).ID;
}

const instanceIds = async (orthanc: ShippedOrthanc): Promise<string[]> => ((await (await fetch(`${orthanc.url}/instances`)).json()) as string[]).sort();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pacsgate-orthanc-pg-test-'));
  postgres = await startPostgres();
  await postgres.createDatabase('orthanc');
  const shipped = orthancConfigOf(render(join('overlays', 'high-availability')));
  // Both at once on the empty database, as two pods of a new Deployment start.
  const local = { postgres, database: 'orthanc' };
  [a, b] = await Promise.all([startShippedOrthanc(shipped, local), startShippedOrthanc(shipped, local)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await postgres?.destroy();
  rmSync(work, { recursive: true, force: true });
});

it('serves through one Orthanc, byte for byte, the instance stored through the other; the files are in PostgreSQL', async () => {
  const file = makeSmallDicom(work, { name: 'Pool^Anna', id: 'PG-ANNA' });
  const id = await store(a, file);
  const served = await fetch(`${b.url}/instances/${id}/file`);
  expect(served.status).toBe(200);
  expect(Buffer.from(await served.arrayBuffer()).equals(readFileSync(file))).toBe(true);
  expect(a.localFiles()).toEqual([]);
  expect(b.localFiles()).toEqual([]);
  // The plugin's table of files; type 1 is Orthanc's DICOM file (FileContentType_Dicom).
  const rows = await postgres.query<{ count: string }>('SELECT count(*) FROM StorageArea WHERE type = 1', [], 'orthanc');
  expect(rows[0].count).toBe('1');
});

it('finds through the other Orthanc’s DICOMweb (QIDO-RS) the study stored through one', async () => {
  const file = makeSmallDicom(work, { name: 'Pool^Bert', id: 'PG-BERT' });
  await store(b, file);
  const found = await fetch(`${a.url}/dicom-web/studies?PatientID=PG-BERT`, { headers: { Accept: 'application/dicom+json' } });
  expect(found.status).toBe(200);
  const studies = (await found.json()) as Record<string, { Value?: unknown[] }>[];
  expect(studies.map((study) => study['0020000D']?.Value?.[0])).toEqual([dicomTag(file, 'StudyInstanceUID')]);
});

it('keeps one index under writes through both at once: every instance seen by both, a delete through one gone from the other', async () => {
  const files = Array.from({ length: 12 }, (_, index) => makeSmallDicom(work, { name: `Pool^Many${index}`, id: `PG-MANY-${index}` }));
  const ids = await Promise.all(files.map((file, index) => store(index % 2 ? a : b, file)));
  const seenByA = await instanceIds(a);
  expect(seenByA).toEqual(expect.arrayContaining(ids));
  expect(await instanceIds(b)).toEqual(seenByA);

  expect((await fetch(`${b.url}/instances/${ids[0]}`, { method: 'DELETE' })).status).toBe(200);
  expect((await fetch(`${a.url}/instances/${ids[0]}`)).status).toBe(404);
  expect((await fetch(`${a.url}/instances/${ids[0]}/file`)).status).toBe(404);
});
