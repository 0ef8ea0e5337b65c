import { openAuditLog } from '../../auth-server/src/audit/audit-log';
import { ConfigLayout } from '../../auth-server/src/config-files';
import { readRegistry } from '../../setup/dicom/registry-files';
import { isQueryEcho, OrthancLogReader, streamLogEvent } from './dicom-audit-lines';
import { followFile } from './tail-file';

export interface DicomAudit {
  /** Feeds one of Orthanc's lines; false when the line must not be shown (it echoes a query's keys). */
  orthancLine(line: string): boolean;
  stop(): void;
}

/**
 * Writes a `dicom.association` line to the auth server's audit log for each association through
 * the DICOM TLS door, from Nginx's stream log and Orthanc's output. Synchronous writes: the auth
 * server appends to the same file, and each of our lines goes down in one write.
 */
export function startDicomAudit(layout: ConfigLayout, destination: string): DicomAudit {
  const audit = openAuditLog(destination, { sync: true });
  // Read at each event: `npm run modalities` changes the registry while the stack runs.
  const orthanc = new OrthancLogReader(() => readRegistry(layout).modalities);
  const stopFollowing = followFile(layout.nginxDicomLog, (line) => {
    const event = streamLogEvent(line);
    if (event) audit.record(event);
  });
  return {
    orthancLine: (line) => {
      const event = orthanc.event(line);
      if (event) audit.record(event);
      return !isQueryEcho(line);
    },
    stop: () => {
      stopFollowing();
      audit.flush();
    },
  };
}
