// Public API of the ikelb package.
export { IkelbError, ErrorCodes, type ErrorCode } from './errors';
export { packageVersion } from './version';
export { parseConfig, loadConfigFile, ConfigError, Secret, type IkelbConfig, type Diagnostic } from './config';
