import { availableParallelism } from 'node:os';
import { ORTHANC_USER } from '../auth-server/src/orthanc/credential';

export const DEBIAN_ORTHANC_PLUGINS = '/usr/share/orthanc/plugins';

export interface OrthancSettings {
  storageDir: string;
  httpPort: number;
  dicomPort: number;
  nginxPassword: string;
  /** Where libOrthancDicomWeb.so is; null when the image loads its plugins itself. */
  pluginsDir: string | null;
  /** false on one machine (Nginx is on loopback); true only on a private container network. */
  remoteAccessAllowed: boolean;
}

/** Idle connections each Nginx worker keeps open to Orthanc: `keepalive` of `pacsgate_orthanc` in the template. */
export const NGINX_ORTHANC_KEEPALIVE = 16;
/** Threads for connections beyond the idle ones: bursts of new connections from Nginx. */
const SPARE_HTTP_THREADS = 64;

/**
 * Orthanc's web server holds a thread per connection until it closes, and an idle keep-alive
 * connection keeps its thread for up to HttpRequestTimeout (30 s). With its default 50 threads,
 * Nginx's idle connections (one worker per CPU) take them all and new requests wait for seconds.
 */
export function orthancHttpThreads(nginxWorkers: number): number {
  return nginxWorkers * NGINX_ORTHANC_KEEPALIVE + SPARE_HTTP_THREADS;
}

/**
 * Orthanc 1.10 listens on every interface and cannot be told otherwise, so it is closed by
 * configuration: loopback clients only, its own HTTP authentication with the user only
 * Nginx knows, and a DICOM port that accepts no C-ECHO/C-STORE/C-FIND/C-MOVE/C-GET but from a
 * registered modality's loopback address. DicomServerEnabled and DicomModalities are not here:
 * the modality registry writes them in a file of their own beside this one (setup/dicom/render.ts),
 * and Orthanc's default (on) applies where there is none (the container).
 */
export function renderOrthancConfig(settings: OrthancSettings): string {
  const config = {
    Name: 'pacsgate',
    StorageDirectory: settings.storageDir,
    IndexDirectory: settings.storageDir,
    ...(settings.pluginsDir && { Plugins: [`${settings.pluginsDir}/libOrthancDicomWeb.so`] }),
    HttpServerEnabled: true,
    HttpPort: settings.httpPort,
    HttpThreadsCount: orthancHttpThreads(availableParallelism()),
    RemoteAccessAllowed: settings.remoteAccessAllowed,
    AuthenticationEnabled: true,
    RegisteredUsers: { [ORTHANC_USER]: settings.nginxPassword },
    OrthancExplorerEnabled: true,
    HttpDescribeErrors: false,
    WebDavEnabled: false,
    ExecuteLuaEnabled: false,
    RestApiWriteToFileSystemEnabled: false,
    DicomAet: 'PACSGATE',
    DicomPort: settings.dicomPort,
    DicomCheckModalityHost: true,
    DicomAlwaysAllowEcho: false,
    DicomAlwaysAllowStore: false,
    DicomAlwaysAllowFind: false,
    DicomAlwaysAllowFindWorklist: false,
    DicomAlwaysAllowGet: false,
    DicomAlwaysAllowMove: false,
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: true, WadoRoot: '/wado' },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
