import { availableParallelism } from 'node:os';
import { bearer } from '../support/gate-client';
import { startReplicaGate, type ReplicaGate } from '../support/replica-gate';
import { accessTokenFrom } from '../support/replica-http';

// PACSGATE_ORTHANC_SERVERS with a live Orthanc and a dead one (port 1: nothing listens, and no test can take it),
// through the real Nginx: reads are asked again of the next Orthanc, writes never are.
const REQUESTS = 12;
/** Nginx skips a failed server for 2 s (setup/nginx-config.ts); past that it is tried again. */
const SKIPPED_MS = 2000;

let gate: ReplicaGate;
let accessToken: string;

beforeAll(async () => {
  gate = await startReplicaGate(1, { moreOrthancServers: ['127.0.0.1:1'] });
  accessToken = await accessTokenFrom(gate.replicas[0].url, 'failover');
}, 120_000);

afterAll(async () => {
  await gate?.stop();
});

// Each of Nginx's workers takes the servers in turn: of any two requests one worker passes on,
// one goes to the dead Orthanc, so among REQUESTS (more than the workers) some do.

it('answers every read: one that meets the dead Orthanc is asked again of the live one', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < REQUESTS; i += 1) statuses.push((await gate.client.get('/system', bearer(accessToken))).status);
  expect(statuses).toEqual(Array.from({ length: REQUESTS }, () => 200));
});

it('sends a write to one Orthanc only: one that meets the dead Orthanc fails (502) instead of going to the next', async () => {
  await new Promise((resolve) => setTimeout(resolve, SKIPPED_MS + 500));
  const statuses: number[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const response = await gate.client.postJson('/tools/find', { Level: 'Study', Query: {} }, bearer(accessToken));
    statuses.push(response.status);
  }
  expect(statuses.filter((status) => status !== 200 && status !== 502)).toEqual([]);
  expect(statuses).toContain(502);
  // A failure marks the dead Orthanc down in that worker (one per CPU): its later writes go to the live one.
  expect(statuses.filter((status) => status === 502).length).toBeLessThanOrEqual(availableParallelism());
});
