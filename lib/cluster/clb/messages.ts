// Payloads of the CLB messages (docs/CLB-PROTOCOL.md has each layout). Every
// decoder checks the exact size and every value's range and returns undefined
// on anything else: the caller refuses the frame as 'bad-payload'.
import { isIP } from 'node:net';
import { addressToBytes, bytesToAddress } from '../../ip-address';
import { nonceLength } from './keys';
import { memberStateCode, memberStateFromCode, type MemberState } from './member-state';

/** HELLO capability bits; unknown bits are ignored so later versions can add some. */
export const Capability = {
  /** The member answers IKE on its address: it may be a redirect target. */
  redirectTarget: 0x0001,
  /** The member accepts RFC 5723 resumption / cluster reconnect tickets. */
  sessionResumption: 0x0002,
} as const;

export interface HelloMessage {
  /** Where clients are redirected to reach this member. */
  readonly address: string;
  readonly priority: number;
  readonly capabilities: number;
  readonly maxSession: number;
}

export interface LoadMessage {
  readonly sessions: number;
  readonly maxSession: number;
  /** Percentages with two decimals, 0..100. */
  readonly cryptoLoad: number;
  readonly systemLoad: number;
  readonly cpuLoad: number;
  readonly memoryLoad: number;
  readonly priority: number;
  /** The member is leaving and must not receive new clients. */
  readonly draining: boolean;
}

export interface PrimaryInfoMessage {
  readonly accepted: boolean;
  /** Members in the primary's table, itself included. */
  readonly memberCount: number;
  /** The state the primary gives this member. */
  readonly yourState: MemberState;
  /** The weighted load score the primary computed for this member, 0..100. */
  readonly yourScore: number;
  readonly holdtimeMs: number;
  readonly primaryAddress: string;
}

export const GoodbyeReason = {
  /** The sender stops (daemon shutdown or `shutdown` of the cluster). */
  shutdown: 1,
  /** The primary is no longer the HSRP active router: re-home to the VIP. */
  notPrimary: 2,
  /** A newer connection of the same member replaced this one. */
  replaced: 3,
  /** The member was silent for holdtime and left the table. */
  holdtimeExpired: 4,
} as const;

export type GoodbyeReasonName = keyof typeof GoodbyeReason;

const familyCode = (address: string): number => (isIP(address) === 6 ? 6 : 4);
const addressLength = (family: number): number | undefined => (family === 4 ? 4 : family === 6 ? 16 : undefined);

/** Percent (0..100, any precision) to hundredths on the wire. */
function toHundredths(percent: number): number {
  return Math.round(Math.min(100, Math.max(0, percent)) * 100);
}

function readHundredths(buf: Buffer, offset: number): number | undefined {
  const value = buf.readUInt16BE(offset);
  return value > 10_000 ? undefined : value / 100;
}

export function encodeNonce(nonce: Buffer): Buffer {
  return Buffer.from(nonce);
}

export function decodeNonce(payload: Buffer): Buffer | undefined {
  return payload.length === nonceLength ? Buffer.from(payload) : undefined;
}

//  0        1        2        4        8
//  | prio   | family | capab. | max-session | address (4 | 16) |
export function encodeHello(m: HelloMessage): Buffer {
  const address = addressToBytes(m.address);
  const out = Buffer.alloc(8 + address.length);
  out.writeUInt8(m.priority, 0);
  out.writeUInt8(familyCode(m.address), 1);
  out.writeUInt16BE(m.capabilities, 2);
  out.writeUInt32BE(m.maxSession, 4);
  address.copy(out, 8);
  return out;
}

export function decodeHello(payload: Buffer): HelloMessage | undefined {
  if (payload.length < 8) return undefined;
  const length = addressLength(payload.readUInt8(1));
  if (length === undefined || payload.length !== 8 + length) return undefined;
  const priority = payload.readUInt8(0);
  const maxSession = payload.readUInt32BE(4);
  if (priority === 0 || maxSession === 0) return undefined;
  return { priority, capabilities: payload.readUInt16BE(2), maxSession, address: bytesToAddress(payload.subarray(8)) };
}

//  0          4             8        10       12      14      16     17      18
//  | sessions | max-session | crypto | system | cpu   | memory | prio | flags |
export const loadPayloadLength = 18;
const loadFlagDraining = 0x01;

export function encodeLoad(m: LoadMessage): Buffer {
  const out = Buffer.alloc(loadPayloadLength);
  out.writeUInt32BE(m.sessions, 0);
  out.writeUInt32BE(m.maxSession, 4);
  out.writeUInt16BE(toHundredths(m.cryptoLoad), 8);
  out.writeUInt16BE(toHundredths(m.systemLoad), 10);
  out.writeUInt16BE(toHundredths(m.cpuLoad), 12);
  out.writeUInt16BE(toHundredths(m.memoryLoad), 14);
  out.writeUInt8(m.priority, 16);
  out.writeUInt8(m.draining ? loadFlagDraining : 0, 17);
  return out;
}

export function decodeLoad(payload: Buffer): LoadMessage | undefined {
  if (payload.length !== loadPayloadLength) return undefined;
  const cryptoLoad = readHundredths(payload, 8);
  const systemLoad = readHundredths(payload, 10);
  const cpuLoad = readHundredths(payload, 12);
  const memoryLoad = readHundredths(payload, 14);
  const maxSession = payload.readUInt32BE(4);
  const priority = payload.readUInt8(16);
  if (cryptoLoad === undefined || systemLoad === undefined || cpuLoad === undefined || memoryLoad === undefined) return undefined;
  if (maxSession === 0 || priority === 0) return undefined;
  return {
    sessions: payload.readUInt32BE(0),
    maxSession,
    cryptoLoad,
    systemLoad,
    cpuLoad,
    memoryLoad,
    priority,
    draining: (payload.readUInt8(17) & loadFlagDraining) !== 0,
  };
}

//  0        1        2       3        4      6          8          12
//  | status | members| state | family | score | reserved | holdtime | primary address (4 | 16) |
export function encodePrimaryInfo(m: PrimaryInfoMessage): Buffer {
  const address = addressToBytes(m.primaryAddress);
  const out = Buffer.alloc(12 + address.length);
  out.writeUInt8(m.accepted ? 1 : 0, 0);
  out.writeUInt8(Math.min(255, m.memberCount), 1);
  out.writeUInt8(memberStateCode(m.yourState), 2);
  out.writeUInt8(familyCode(m.primaryAddress), 3);
  out.writeUInt16BE(toHundredths(m.yourScore), 4);
  out.writeUInt32BE(m.holdtimeMs, 8);
  address.copy(out, 12);
  return out;
}

export function decodePrimaryInfo(payload: Buffer): PrimaryInfoMessage | undefined {
  if (payload.length < 12) return undefined;
  const length = addressLength(payload.readUInt8(3));
  if (length === undefined || payload.length !== 12 + length) return undefined;
  const status = payload.readUInt8(0);
  const yourState = memberStateFromCode(payload.readUInt8(2));
  const yourScore = readHundredths(payload, 4);
  if (status > 1 || yourState === undefined || yourScore === undefined) return undefined;
  return {
    accepted: status === 1,
    memberCount: payload.readUInt8(1),
    yourState,
    yourScore,
    holdtimeMs: payload.readUInt32BE(8),
    primaryAddress: bytesToAddress(payload.subarray(12)),
  };
}

//  0
//  | reason |
export function encodeGoodbye(reason: GoodbyeReasonName): Buffer {
  return Buffer.from([GoodbyeReason[reason]]);
}

export function decodeGoodbye(payload: Buffer): GoodbyeReasonName | undefined {
  if (payload.length !== 1) return undefined;
  const code = payload.readUInt8(0);
  return (Object.keys(GoodbyeReason) as GoodbyeReasonName[]).find((name) => GoodbyeReason[name] === code);
}
