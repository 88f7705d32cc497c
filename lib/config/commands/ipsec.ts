// CHILD_SA parameters: `crypto ipsec transform-set NAME TRANSFORMS...` (with
// `mode tunnel|transport` inside) and `crypto ipsec profile NAME` with `set
// transform-set`, `set ikev2-profile`, `set security-association lifetime` and
// `set pfs`. An IKEv2 profile takes its CHILD_SA parameters from the ipsec
// profile whose `set ikev2-profile` names it.
import { type DhGroup, ESP_ENCRYPTION, type EspEncryption, ESP_INTEGRITY, type EspIntegrity } from '../algorithms';
import { command, type CommandSpec, unsupported } from '../command';
import { at, type IpsecProfileDraft, type TransformSetDraft } from '../draft';
import { choice, keywordList, kw, listOf, type Node, oneOf, opt, seq, some, val } from '../syntax';
import { int, name } from '../values';

type Transform = { kind: 'encryption'; algorithm: EspEncryption; keyLength: number | null } | { kind: 'integrity'; algorithm: EspIntegrity };

// Each transform binds one object into the `transforms` list.
const pushTransform = (value: Transform): Node => ({ kind: 'set', name: 'transforms', value, multi: true });

function encryptionTransform(algorithm: EspEncryption): Node {
  const lengths = ESP_ENCRYPTION[algorithm].keyLengths;
  return seq(
    kw(algorithm),
    choice(...lengths.map((l) => seq(kw(String(l)), pushTransform({ kind: 'encryption', algorithm, keyLength: l }))), pushTransform({ kind: 'encryption', algorithm, keyLength: null })),
  );
}

const transform = choice(
  ...(Object.keys(ESP_ENCRYPTION) as EspEncryption[]).map(encryptionTransform),
  ...(Object.keys(ESP_INTEGRITY) as EspIntegrity[]).map((i) => seq(kw(i), pushTransform({ kind: 'integrity', algorithm: i }))),
);

const pfsGroups = ['group14', 'group19', 'group20', 'group31'] as const;

export const ipsecCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('crypto', 'ipsec', 'transform-set', val('name', name(), 'transform-set name'), some(transform)),
    opens: { mode: 'ipsec-transform-set', scratch: (): TransformSetDraft => ({ name: '', line: 0 }) },
    run(ctx, args) {
      const setName = args.get<string>('name');
      const draft: TransformSetDraft = { name: setName, line: ctx.line };
      let ok = true;
      for (const t of args.list<Transform>('transforms')) {
        if (t.kind === 'encryption') {
          if (draft.encryption !== undefined) {
            ctx.error('a transform set has one encryption transform');
            ok = false;
          }
          draft.encryption = { algorithm: t.algorithm, keyLength: t.keyLength ?? ESP_ENCRYPTION[t.algorithm].defaultKeyLength };
        } else {
          if (draft.integrity !== undefined) {
            ctx.error('a transform set has at most one integrity transform');
            ok = false;
          }
          draft.integrity = t.algorithm;
        }
      }
      if (draft.encryption === undefined) {
        ctx.error('a transform set needs an encryption transform (esp-gcm or esp-aes)');
        ok = false;
      } else if (ESP_ENCRYPTION[draft.encryption.algorithm].aead && draft.integrity !== undefined) {
        ctx.error('esp-gcm authenticates by itself: remove the integrity transform (as IOS requires)');
        ok = false;
      } else if (!ESP_ENCRYPTION[draft.encryption.algorithm].aead && draft.integrity === undefined) {
        ctx.error('esp-aes needs an integrity transform (esp-sha256-hmac, esp-sha384-hmac or esp-sha512-hmac): ikelb refuses ESP without integrity');
        ok = false;
      }
      const existing = ctx.state.transformSets.get(setName);
      if (existing !== undefined && existing.mode !== undefined) draft.mode = existing.mode;
      if (ok) ctx.state.transformSets.set(setName, draft);
      ctx.enter('ipsec-transform-set', draft);
    },
  }),
  command({
    mode: 'ipsec-transform-set',
    syntax: seq('mode', oneOf('mode', ['tunnel', 'transport'])),
    run(ctx, args) {
      ctx.state.mode = at(args.get<'tunnel' | 'transport'>('mode'), ctx.line);
    },
  }),
  command({
    mode: 'global',
    syntax: seq('crypto', 'ipsec', 'profile', val('name', name(), 'profile name')),
    opens: { mode: 'ipsec-profile', scratch: (): IpsecProfileDraft => ({ name: '', line: 0 }) },
    run(ctx, args) {
      const profileName = args.get<string>('name');
      let profile = ctx.state.ipsecProfiles.get(profileName);
      if (profile === undefined) {
        profile = { name: profileName, line: ctx.line };
        ctx.state.ipsecProfiles.set(profileName, profile);
      }
      ctx.enter('ipsec-profile', profile);
    },
  }),
  command({
    mode: 'ipsec-profile',
    syntax: seq('set', 'transform-set', listOf('names', name(), 'transform-set name')),
    run(ctx, args) {
      const names = args.list<string>('names');
      if (names.length > 6) ctx.error('at most 6 transform sets (IOS)');
      else ctx.state.transformSets = at(names, ctx.line);
    },
  }),
  command({
    mode: 'ipsec-profile',
    syntax: seq('set', 'ikev2-profile', val('name', name(), 'IKEv2 profile name')),
    run(ctx, args) {
      ctx.state.ikev2Profile = at(args.get<string>('name'), ctx.line);
    },
  }),
  command({
    mode: 'ipsec-profile',
    syntax: seq(
      'set',
      'security-association',
      'lifetime',
      choice(
        seq('seconds', val('seconds', int(120, 2_592_000), 'lifetime (s)')),
        seq('kilobytes', choice(val('kilobytes', int(2560, 4_294_967_295), 'lifetime (KB)'), keywordList('disable', ['disable']))),
      ),
    ),
    run(ctx, args) {
      if (args.has('seconds')) ctx.state.lifetimeSeconds = at(args.get<number>('seconds'), ctx.line);
      else ctx.state.lifetimeKilobytes = at(args.opt<number>('kilobytes') ?? null, ctx.line);
    },
  }),
  command({
    mode: 'ipsec-profile',
    syntax: seq('set', 'pfs', opt(oneOf('group', pfsGroups))),
    run(ctx, args) {
      const group = args.opt<string>('group');
      ctx.state.pfs = at(group === undefined ? 'ike' : (Number(group.slice('group'.length)) as DhGroup), ctx.line);
    },
    no: {
      syntax: seq('set', 'pfs'),
      run(ctx) {
        ctx.state.pfs = at(null, ctx.line);
      },
    },
  }),
  unsupported('global', ['crypto', 'map'], 'crypto map', 'ikelb binds CHILD_SAs through ikev2 profiles and ipsec profiles'),
];
