import { READ_POST_ROUTES } from '../../auth-server/src/pacs-routes/read-posts';

/** An Orthanc resource id of the right shape. */
export const ORTHANC_ID = '0946fcb6-cf12ab43-bad958c1-bf057ad5-0fc6f54c';

/** Every route of the read-POST table with a resource id filled in. */
export const READ_POST_URIS = READ_POST_ROUTES.map((route) => route.replace('{id}', ORTHANC_ID));

/** The writes issue 15 lists: each stays refused to a read-only token. */
export const LISTED_WRITES: [string, string][] = [
  ['POST', '/instances'],
  ['POST', '/dicom-web/studies'],
  ['POST', '/dicom-web/studies/1.2.3'],
  ['POST', `/patients/${ORTHANC_ID}/modify`],
  ['POST', `/studies/${ORTHANC_ID}/anonymize`],
  ['POST', `/studies/${ORTHANC_ID}/merge`],
  ['POST', `/studies/${ORTHANC_ID}/split`],
  ['POST', '/modalities/pacs/store'],
  ['POST', '/modalities/pacs/move'],
  ['POST', '/modalities/pacs/get'],
  ['POST', '/modalities/pacs/query'],
  ['POST', '/peers/other/store'],
  ['POST', '/tools/execute-script'],
  ['POST', '/tools/reset'],
  ['POST', '/tools/shutdown'],
  ['PUT', '/tools/log-level'],
  ['PUT', '/tools/log-level-http'],
  ['DELETE', `/patients/${ORTHANC_ID}`],
  ['DELETE', '/tools/find'],
  ['POST', '/tools/not-in-the-table'],
];

/** Spellings that would reach a write, or an unknown route, through a table route. */
export const PATH_TRICKS: [string, string][] = [
  ['POST', '/tools/find/../instances'],
  ['POST', '/tools/find/%2e%2e/instances'],
  ['POST', '/tools/%2e%2e/instances'],
  ['POST', '/tools%2Ffind'],
  ['POST', '/tools/%66ind'],
  ['POST', '//tools/find'],
  ['POST', '/tools//find'],
  ['POST', '/tools/find/'],
  ['POST', `/studies/${ORTHANC_ID}/archive/`],
  // An encoded query key (not `token`: any spelling of that one is refused before, test/unit/tokens/query-token-key.test.ts).
  ['POST', '/tools/find?%6Cimit=x'],
];

/** GETs that Orthanc runs as a DELETE (method faking in the query). */
export const FAKED_METHODS: [string, string][] = [
  ['GET', `/studies/${ORTHANC_ID}?_method=DELETE`],
  ['GET', `/studies/${ORTHANC_ID}?a=1&_method=delete`],
  ['GET', `/studies/${ORTHANC_ID}?%5Fmethod=DELETE`],
  ['GET', `/studies/${ORTHANC_ID}?_%6Dethod=DELETE`],
];
