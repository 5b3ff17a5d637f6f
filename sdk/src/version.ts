/** The instrumentation scope of spans the SDK creates itself. Keep VERSION equal to package.json. */
export const SDK_NAME = '@observa/sdk';
export const SDK_VERSION = '0.1.0';
