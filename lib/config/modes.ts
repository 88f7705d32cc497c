// The configuration modes of the language: global, and one submode per
// block-opening command. `prompt` is what IOS shows (Router(config-if)#), so
// messages read the way an engineer knows them.

export const MODES = {
  global: { title: 'global configuration', prompt: 'config' },
  interface: { title: 'interface', prompt: 'config-if' },
  'ikev2-proposal': { title: 'crypto ikev2 proposal', prompt: 'config-ikev2-proposal' },
  'ikev2-policy': { title: 'crypto ikev2 policy', prompt: 'config-ikev2-policy' },
  'ikev2-keyring': { title: 'crypto ikev2 keyring', prompt: 'config-ikev2-keyring' },
  'ikev2-keyring-peer': { title: 'keyring peer', prompt: 'config-ikev2-keyring-peer' },
  'ikev2-profile': { title: 'crypto ikev2 profile', prompt: 'config-ikev2-profile' },
  'ikev2-authorization-policy': { title: 'crypto ikev2 authorization policy', prompt: 'config-ikev2-author-policy' },
  'ikev2-cluster': { title: 'crypto ikev2 cluster', prompt: 'config-ikev2-cluster' },
  'ikev2-client': { title: 'crypto ikev2 client flexvpn', prompt: 'config-ikev2-flexvpn' },
  'ipsec-transform-set': { title: 'crypto ipsec transform-set', prompt: 'cfg-crypto-trans' },
  'ipsec-profile': { title: 'crypto ipsec profile', prompt: 'ipsec-profile' },
  'pki-trustpoint': { title: 'crypto pki trustpoint', prompt: 'ca-trustpoint' },
} as const;

export type ModeName = keyof typeof MODES;

export const MODE_NAMES = Object.keys(MODES) as ModeName[];

/** "crypto ikev2 profile mode (config-ikev2-profile)". */
export function describeMode(mode: ModeName): string {
  const { title, prompt } = MODES[mode];
  return mode === 'global' ? `global configuration mode (${prompt})` : `${title} mode (${prompt})`;
}
