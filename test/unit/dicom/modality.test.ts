import fc from 'fast-check';
import { addModality, EMPTY_REGISTRY, ModalityRequest, pinCertificate, Registry, RegistryError, removeModality } from '../../../setup/dicom/modality';

const request = (overrides: Partial<ModalityRequest> = {}): ModalityRequest => ({
  name: 'ct', aet: 'CT1', host: '10.0.0.5', port: 104, store: true, find: false, get: false, ...overrides,
});

const pin = { fingerprint: 'a'.repeat(40), subject: 'CN=CT1', expires: '2030-01-01T00:00:00.000Z' };

it('registers a modality with the next free loopback address', () => {
  const registry = addModality(addModality(EMPTY_REGISTRY, request()), request({ name: 'ws', aet: 'WS1' }));
  expect(registry.modalities.map((modality) => modality.loopback)).toEqual(['127.0.1.1', '127.0.1.2']);
});

it.each([
  ['a name with capitals', { name: 'CT' }, /name/],
  ['an AE title longer than 16 characters', { aet: 'A'.repeat(17) }, /aet/],
  ['an AE title with a backslash', { aet: 'CT\\1' }, /aet/],
  ['a host name instead of an address', { host: 'ct.example.org' }, /IPv4 address/],
  ['an IPv6 address', { host: '::1' }, /IPv4 address/],
  ['port 0', { port: 0 }, /port/],
  ['a missing port', { port: Number.NaN }, /port/],
])('refuses %s', (_, overrides, message) => {
  expect(() => addModality(EMPTY_REGISTRY, request(overrides))).toThrow(message);
});

it('refuses a second modality with the same name or AE title: Orthanc finds modalities by AE title', () => {
  const registry = addModality(EMPTY_REGISTRY, request());
  expect(() => addModality(registry, request({ aet: 'OTHER' }))).toThrow(/already registered/);
  expect(() => addModality(registry, request({ name: 'other' }))).toThrow(/CT1 is already registered for ct/);
});

it('pins a certificate to one modality only, and revoking unpins it', () => {
  let registry = addModality(addModality(EMPTY_REGISTRY, request()), request({ name: 'ws', aet: 'WS1' }));
  registry = pinCertificate(registry, 'ct', pin);
  expect(() => pinCertificate(registry, 'ws', pin)).toThrow(/already pinned for another modality/);
  expect(pinCertificate(registry, 'ct', undefined).modalities[0].certificate).toBeUndefined();
  expect(() => pinCertificate(registry, 'nobody', pin)).toThrow(RegistryError);
});

it('gives every modality its own loopback address, whatever was added and removed before', () => {
  const step = fc.oneof(fc.record({ add: fc.integer({ min: 0, max: 30 }) }), fc.record({ remove: fc.integer({ min: 0, max: 30 }) }));
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      let registry: Registry = EMPTY_REGISTRY;
      for (const change of steps) {
        const name = `m${'add' in change ? change.add : change.remove}`;
        const known = registry.modalities.some((modality) => modality.name === name);
        if ('add' in change && !known) registry = addModality(registry, request({ name, aet: name.toUpperCase() }));
        if ('remove' in change && known) registry = removeModality(registry, name);
      }
      const addresses = registry.modalities.map((modality) => modality.loopback);
      expect(new Set(addresses).size).toBe(addresses.length);
      expect(addresses.every((address) => /^127\.0\.1\.([1-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-4])$/.test(address))).toBe(true);
    }),
  );
});
