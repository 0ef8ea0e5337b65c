import type { DicomAssociationEvent } from '../../auth-server/src/audit/events';
import type { Modality } from '../../setup/dicom/modality';

/**
 * The DICOM door's audit lines, read from the two places the decisions are made: Nginx's stream
 * log (the TLS handshake, the certificate and the address) and Orthanc's own log (the AE title and
 * the DICOM commands). Orthanc sees each modality at its loopback address only, so that address
 * names the modality, its certificate and the address Nginx let it in from.
 */

/** The registered modalities as they are now (`npm run modalities` changes them while the stack runs). */
export type CurrentModalities = () => Modality[];

interface StreamLogLine {
  ip: string;
  verify: string;
  subject: string;
  loopback: string;
  protocol: string;
}

function tlsRefusalReason(line: StreamLogLine): string {
  if (line.verify.startsWith('FAILED:')) return `certificate not trusted: ${line.verify.slice('FAILED:'.length)}`;
  if (line.verify === 'SUCCESS') return 'certificate not pinned for a modality connecting from this address';
  return line.protocol ? 'no client certificate' : 'no TLS handshake';
}

/** An event for a connection Nginx refused; none for one it forwarded (Orthanc's line says what came of it). */
export function streamLogEvent(text: string): DicomAssociationEvent | undefined {
  let line: StreamLogLine;
  try {
    line = JSON.parse(text) as StreamLogLine;
  } catch {
    return undefined;
  }
  if (typeof line.ip !== 'string' || line.loopback) return undefined;
  return {
    event: 'dicom.association', outcome: 'refused', stage: 'tls', ip: line.ip,
    ...(line.subject && { certificate: line.subject }),
    reason: tlsRefusalReason(line),
  };
}

const ACKNOWLEDGED = /\(dicom\) Association Acknowledged .* to AET (\S+) on IP (\S+)$/;
const REJECTED = /Rejected association for remote AET (\S+) on IP (\S+)$/;
const REJECTED_COMMAND = /Rejected (\S+) request from remote DICOM modality with AET "([^"]*)" and hostname "([^"]*)"/;
const OPERATION = /Lua says: pacsgate-dicom-operation (\w+) (\S+) (\S+)$/;
// Only an accepted association reaches C-GET, and AE titles are unique: the title names the modality.
const GET = /\(dicom\) C-GET-SCU request received from AET "([^"]*)"/;
const NOT_LISTED = /Modality "([^"]*)" is not listed in the "DicomModalities"/;
const WRONG_HOST = /Forbidding access from AET "([^"]*)" given its hostname/;

function fromModality(modality: Modality | undefined, loopback: string): Pick<DicomAssociationEvent, 'ip' | 'modality' | 'certificate'> {
  // Only Nginx connects from a modality's loopback address, and only for that modality's pinned certificate and host.
  if (!modality) return { ip: loopback };
  return { ip: modality.host, modality: modality.name, ...(modality.certificate && { certificate: modality.certificate.subject }) };
}

/**
 * Reads Orthanc's log line by line. `reason` remembers why Orthanc is about to reject an
 * association: it says so on the line before the rejection.
 */
export class OrthancLogReader {
  private reason: string | undefined;

  constructor(private readonly modalities: CurrentModalities) {}

  private modalityAt(loopback: string): Modality | undefined {
    return this.modalities().find((modality) => modality.loopback === loopback);
  }

  event(line: string): DicomAssociationEvent | undefined {
    const operation = OPERATION.exec(line);
    if (operation) {
      const [, name, aet, loopback] = operation;
      return { event: 'dicom.association', outcome: 'accepted', stage: 'dicom', aet, ...fromModality(this.modalityAt(loopback), loopback), operation: name };
    }
    const get = GET.exec(line);
    if (get) {
      const modality = this.modalities().find((candidate) => candidate.aet === get[1]);
      if (modality) return { event: 'dicom.association', outcome: 'accepted', stage: 'dicom', aet: get[1], ...fromModality(modality, modality.loopback), operation: 'Get' };
    }
    if (NOT_LISTED.test(line)) this.reason = 'AE title not registered';
    if (WRONG_HOST.test(line)) this.reason = 'AE title registered for another modality (certificate or address)';
    const acknowledged = ACKNOWLEDGED.exec(line);
    if (acknowledged) {
      const [, aet, loopback] = acknowledged;
      return { event: 'dicom.association', outcome: 'accepted', stage: 'dicom', aet, ...fromModality(this.modalityAt(loopback), loopback) };
    }
    const rejected = REJECTED.exec(line);
    if (rejected) {
      const [, aet, loopback] = rejected;
      const reason = this.reason ?? 'refused by Orthanc';
      this.reason = undefined;
      return { event: 'dicom.association', outcome: 'refused', stage: 'dicom', aet, ...fromModality(this.modalityAt(loopback), loopback), reason };
    }
    const command = REJECTED_COMMAND.exec(line);
    if (command) {
      const [, operation, aet, loopback] = command;
      return { event: 'dicom.association', outcome: 'refused', stage: 'dicom', aet, ...fromModality(this.modalityAt(loopback), loopback), operation, reason: `${operation} not allowed for this modality` };
    }
    return undefined;
  }
}

/** Orthanc's verbose DICOM lines that echo query keys (patient names and ids): kept out of the stack's output. */
export function isQueryEcho(line: string): boolean {
  return /^I.*\(dicom\) {3}\(/.test(line);
}
