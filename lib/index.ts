// Public API of the ikelb package.
export { IkelbError, ErrorCodes, type ErrorCode } from './errors';
export { packageVersion } from './version';
