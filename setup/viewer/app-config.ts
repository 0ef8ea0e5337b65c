/**
 * OHIF's app-config.js for the gate: one DICOMweb data source, the gate's own Orthanc paths on the
 * page's origin (root-relative, so no URL of another origin and no dependency on the public URL),
 * the study list on, no runtime configuration from the URL. Every request it makes passes Nginx's
 * token check with the page's HttpOnly cookie; OHIF itself never holds a token.
 */
export function renderAppConfig(routerBasename: string): string {
  const config = {
    routerBasename,
    extensions: [],
    modes: [],
    customizationService: {},
    showStudyList: true,
    // Loading a configuration named in the URL would let a link point the viewer elsewhere.
    dangerouslyUseDynamicConfig: { enabled: false },
    maxNumberOfWebWorkers: 3,
    showWarningMessageForCrossOrigin: false,
    showCPUFallbackMessage: true,
    showLoadingIndicator: true,
    strictZSpacingForVolumeViewport: true,
    defaultDataSourceName: 'pacsgate',
    dataSources: [
      {
        namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
        sourceName: 'pacsgate',
        configuration: {
          friendlyName: 'pacsgate (Orthanc)',
          name: 'orthanc',
          qidoRoot: '/dicom-web',
          wadoRoot: '/dicom-web',
          wadoUriRoot: '/wado',
          qidoSupportsIncludeField: false,
          // Orthanc has no reject endpoint; uploads go through STOW-RS, which the gate refuses to read-only tokens.
          supportsReject: false,
          dicomUploadEnabled: true,
          imageRendering: 'wadors',
          thumbnailRendering: 'wadors',
          enableStudyLazyLoad: true,
          supportsFuzzyMatching: false,
          supportsWildcard: true,
          staticWado: true,
          singlepart: 'bulkdata',
          omitQuotationForMultipartRequest: true,
          bulkDataURI: { enabled: true, relativeResolution: 'studies' },
        },
      },
    ],
  };
  return `// Written by pacsgate's setup (setup/viewer/app-config.ts); rewritten on every start.\nwindow.config = ${JSON.stringify(config, null, 2)};\n`;
}
