// Public API of the ikelb package.
export { IkelbError, ErrorCodes, type ErrorCode } from './errors';
export { packageVersion } from './version';
export { parseConfig, loadConfigFile, ConfigError, Secret, type IkelbConfig, type Diagnostic } from './config';
export {
  decodeMessage,
  decodePayloads,
  encodeMessage,
  encodePayloads,
  formatDecodeError,
  validateMessage,
} from './ike/codec';
export * as ikeConstants from './ike/constants';
export type * from './ike/message';
export { notifies, parseNotifyData, redirectData, redirectedFromData, ticketLtOpaqueData } from './ike/notify-data';
