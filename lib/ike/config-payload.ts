// Configuration payloads (RFC 7296 §2.19, §3.15): the responder answers a
// CFG_REQUEST from its `ip local pool` (INTERNAL_IP4_ADDRESS) and the
// authorization policy (netmask, DNS); the address goes back to the pool when
// the IKE SA is deleted. The initiator asks for an address and reads the reply.
import net from 'node:net';
import { CfgAttribute, CfgType, NotifyType, PayloadType } from './constants';
import type { CpAttribute, CpPayload } from './payloads';
import type { CpPolicy } from './policy';
import { addressToBytes, bytesToAddress } from '../ip-address';

export interface CpAnswer {
  readonly reply: CpPayload | undefined;
  /** The leased address, to release on delete. */
  readonly leased: string | undefined;
  /** INTERNAL_ADDRESS_FAILURE when the pool is exhausted (§3.15.4): no CHILD SA then. */
  readonly failure: number | undefined;
}

const none: CpAnswer = { reply: undefined, leased: undefined, failure: undefined };

export function answerConfigRequest(cp: CpPayload, policy: CpPolicy): CpAnswer {
  if (cp.cfgType !== CfgType.CFG_REQUEST) return none;
  const asked = new Set(cp.attributes.map((a) => a.type));
  const attributes: CpAttribute[] = [];
  let leased: string | undefined;
  if (asked.has(CfgAttribute.INTERNAL_IP4_ADDRESS)) {
    const pool = policy.pool;
    if (pool !== undefined) {
      const requested = cp.attributes.find((a) => a.type === CfgAttribute.INTERNAL_IP4_ADDRESS && a.value.length === 4 && !a.value.equals(Buffer.alloc(4)));
      leased = pool.allocate(requested === undefined ? undefined : bytesToAddress(requested.value));
      if (leased === undefined) return { reply: undefined, leased: undefined, failure: NotifyType.INTERNAL_ADDRESS_FAILURE };
      attributes.push({ type: CfgAttribute.INTERNAL_IP4_ADDRESS, value: addressToBytes(leased) });
      if (policy.netmask !== undefined) attributes.push({ type: CfgAttribute.INTERNAL_IP4_NETMASK, value: addressToBytes(policy.netmask) });
    }
  }
  for (const dns of policy.dns) {
    const v4 = net.isIP(dns) === 4;
    if (v4 && asked.has(CfgAttribute.INTERNAL_IP4_DNS)) attributes.push({ type: CfgAttribute.INTERNAL_IP4_DNS, value: addressToBytes(dns) });
    if (!v4 && asked.has(CfgAttribute.INTERNAL_IP6_DNS)) attributes.push({ type: CfgAttribute.INTERNAL_IP6_DNS, value: addressToBytes(dns) });
  }
  if (attributes.length === 0) return none;
  return { reply: { type: PayloadType.CP, cfgType: CfgType.CFG_REPLY, attributes }, leased, failure: undefined };
}

/** The initiator's request: an IPv4 address and DNS servers. */
export function configRequest(): CpPayload {
  return {
    type: PayloadType.CP,
    cfgType: CfgType.CFG_REQUEST,
    attributes: [
      { type: CfgAttribute.INTERNAL_IP4_ADDRESS, value: Buffer.alloc(0) },
      { type: CfgAttribute.INTERNAL_IP4_DNS, value: Buffer.alloc(0) },
    ],
  };
}

export interface ConfigReply {
  readonly address: string | undefined;
  readonly dns: readonly string[];
}

export function readConfigReply(cp: CpPayload | undefined): ConfigReply {
  if (cp === undefined || cp.cfgType !== CfgType.CFG_REPLY) return { address: undefined, dns: [] };
  const address = cp.attributes.find((a) => a.type === CfgAttribute.INTERNAL_IP4_ADDRESS && a.value.length === 4);
  const dns = cp.attributes.filter((a) => (a.type === CfgAttribute.INTERNAL_IP4_DNS && a.value.length === 4) || (a.type === CfgAttribute.INTERNAL_IP6_DNS && a.value.length === 16));
  return { address: address === undefined ? undefined : bytesToAddress(address.value), dns: dns.map((a) => bytesToAddress(a.value)) };
}
