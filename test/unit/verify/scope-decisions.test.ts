import fc from 'fast-check';
import { studyScopeDecision } from '../../../auth-server/src/pacs-routes/study-scope';
import { ScopeDecisions } from '../../../auth-server/src/verify/scope-decisions';
import { A, B, ID_A, scopeMethod, scopeUri, SERIES_A, SOP_A } from '../../support/scope-uris';

const FRAMES_A = `/dicom-web/studies/${A}/series/${SERIES_A}/instances/${SOP_A}/frames/1`;

it('answers a URI asked again as it did the first time, from memory', () => {
  const decisions = new ScopeDecisions(10);
  const first = decisions.decide('GET', FRAMES_A, [A], false);
  expect(first).toEqual({ kind: 'uid', level: 'Instance', uid: SOP_A });
  expect(decisions.decide('GET', FRAMES_A, [A], false)).toBe(first);
  expect(decisions.size).toBe(1);
});

it('never answers one URI with the decision of another', () => {
  const decisions = new ScopeDecisions(10);
  expect(decisions.decide('GET', `/dicom-web/studies/${A}/metadata`, [A], false)).toEqual({ kind: 'allow' });
  expect(decisions.decide('GET', `/dicom-web/studies/${B}/metadata`, [A], false)).toEqual({ kind: 'refuse' });
  expect(decisions.decide('GET', `/studies/${ID_A}/archive`, [A], false)).toEqual({ kind: 'resource', level: 'studies', id: ID_A });
});

it('answers a remembered URI afresh for another method, scope or edit right', () => {
  const decisions = new ScopeDecisions(10);
  const stow = `/dicom-web/studies/${A}`;
  expect(decisions.decide('GET', stow, [A], false)).toEqual({ kind: 'allow' });
  expect(decisions.decide('POST', stow, [A], false)).toEqual({ kind: 'refuse' });
  expect(decisions.decide('POST', stow, [A], true)).toEqual({ kind: 'allow' });
  expect(decisions.decide('POST', stow, [B], true)).toEqual({ kind: 'refuse' });
  // Another visitor of the same link: another array, the same studies.
  expect(decisions.decide('POST', stow, [A], true)).toEqual({ kind: 'allow' });
  expect(decisions.decide('GET', stow, [B, A], false)).toEqual({ kind: 'allow' });
  expect(decisions.decide('GET', stow, [B], false)).toEqual({ kind: 'refuse' });
});

it('stays within its capacity, the oldest entry making room, and keeps no over-long URI', () => {
  const decisions = new ScopeDecisions(3);
  for (let index = 0; index < 10; index += 1) decisions.decide('GET', `/dicom-web/studies/${A}/series/1.2.${index}`, [A], false);
  expect(decisions.size).toBe(3);
  // Asked again with another scope: it replaces its own entry rather than take another's place.
  decisions.decide('GET', `/dicom-web/studies/${A}/series/1.2.9`, [B], false);
  expect(decisions.size).toBe(3);
  const long = `/dicom-web/studies/${A}?limit=1&${'includefield=PatientName&'.repeat(60)}`;
  expect(decisions.decide('GET', long, [A], false)).toEqual({ kind: 'allow' });
  expect(decisions.size).toBe(3);
  expect(new ScopeDecisions(1000).decide('GET', long, [A], false)).toEqual({ kind: 'allow' });
});

// Oracle: the pure matcher. Whatever was asked before, a small memo that keeps evicting answers
// every question exactly as a fresh decision would.
it('property: a remembered decision is always the fresh one', () => {
  // A few URIs recur, asked with other methods, scopes and rights.
  const uri = fc.oneof(scopeUri, fc.constantFrom(FRAMES_A, `/dicom-web/studies/${A}`, `/dicom-web/studies/${B}`, `/studies/${ID_A}`));
  const question = fc.tuple(scopeMethod, uri, fc.constantFrom([A], [B], [A, B], []), fc.boolean());
  fc.assert(
    fc.property(fc.array(question, { minLength: 1, maxLength: 40 }), (questions) => {
      const decisions = new ScopeDecisions(4);
      // Each question twice in a row (the second is a memo hit) and again at the end.
      for (const [method, uri, scope, canEdit] of [...questions, ...questions.slice().reverse()]) {
        const fresh = studyScopeDecision(method, uri, scope, canEdit);
        expect(decisions.decide(method, uri, scope, canEdit)).toEqual(fresh);
        expect(decisions.decide(method, uri, [...scope], canEdit)).toEqual(fresh);
      }
    }),
    { numRuns: 500 },
  );
});
