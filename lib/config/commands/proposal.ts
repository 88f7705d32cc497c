// `crypto ikev2 proposal` (IKE SA algorithms, in preference order) and
// `crypto ikev2 policy` (which proposals apply to which local address).
// Only algorithms ikelb implements are accepted; the rest are errors naming
// the supported set. Whole-proposal rules (GCM forbids integrity, CBC needs
// it) are checked in validate.ts like IOS checks them on exit.
import { DH_GROUPS, type DhGroup, ENCRYPTION, type EncryptionAlgorithm, INTEGRITY, type IntegrityAlgorithm, isDhGroup, PRF, type PrfAlgorithm } from '../algorithms';
import { command, type CommandSpec, unsupported } from '../command';
import { at, type At, type PolicyDraft, type ProposalDraft } from '../draft';
import { listOf, seq, val } from '../syntax';
import { enumValue, type IpValue, ipAddress, name, type ValueType } from '../values';

const dhGroup: ValueType<DhGroup> = {
  placeholder: Object.keys(DH_GROUPS).join('|'),
  parse(text) {
    const n = /^[0-9]{1,3}$/.test(text) ? Number(text) : NaN;
    if (isDhGroup(n)) return { ok: true, value: n };
    const supported = Object.entries(DH_GROUPS).map(([k, v]) => `${k} (${v.name})`).join(', ');
    return { ok: false, reason: `${text} is not supported by ikelb (supported: ${supported})` };
  },
};

function addAll<T>(list: At<T>[], values: readonly T[], line: number): void {
  for (const v of values) if (!list.some((x) => x.value === v)) list.push(at(v, line));
}

export const proposalCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'proposal', val('name', name(), 'proposal name')),
    opens: { mode: 'ikev2-proposal', scratch: (): ProposalDraft => ({ name: '', line: 0, encryption: [], integrity: [], prf: [], groups: [] }) },
    run(ctx, args) {
      const proposalName = args.get<string>('name');
      let proposal = ctx.state.proposals.get(proposalName);
      if (proposal === undefined) {
        proposal = { name: proposalName, line: ctx.line, encryption: [], integrity: [], prf: [], groups: [] };
        ctx.state.proposals.set(proposalName, proposal);
      }
      ctx.enter('ikev2-proposal', proposal);
    },
  }),
  command({
    mode: 'ikev2-proposal',
    syntax: seq('encryption', listOf('algorithms', enumValue(Object.keys(ENCRYPTION) as EncryptionAlgorithm[]), 'encryption')),
    run(ctx, args) {
      addAll(ctx.state.encryption, args.list<EncryptionAlgorithm>('algorithms'), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-proposal',
    syntax: seq('integrity', listOf('algorithms', enumValue(Object.keys(INTEGRITY) as IntegrityAlgorithm[]), 'integrity')),
    run(ctx, args) {
      addAll(ctx.state.integrity, args.list<IntegrityAlgorithm>('algorithms'), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-proposal',
    syntax: seq('prf', listOf('algorithms', enumValue(Object.keys(PRF) as PrfAlgorithm[]), 'prf')),
    run(ctx, args) {
      addAll(ctx.state.prf, args.list<PrfAlgorithm>('algorithms'), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-proposal',
    syntax: seq('group', listOf('groups', dhGroup, 'DH group')),
    run(ctx, args) {
      addAll(ctx.state.groups, args.list<DhGroup>('groups'), ctx.line);
    },
  }),
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'policy', val('name', name(), 'policy name')),
    opens: { mode: 'ikev2-policy', scratch: (): PolicyDraft => ({ name: '', line: 0, proposals: [], matchAddressLocal: [] }) },
    run(ctx, args) {
      const policyName = args.get<string>('name');
      let policy = ctx.state.policies.get(policyName);
      if (policy === undefined) {
        policy = { name: policyName, line: ctx.line, proposals: [], matchAddressLocal: [] };
        ctx.state.policies.set(policyName, policy);
      }
      ctx.enter('ikev2-policy', policy);
    },
  }),
  command({
    mode: 'ikev2-policy',
    syntax: seq('proposal', val('name', name(), 'proposal name')),
    run(ctx, args) {
      addAll(ctx.state.proposals, [args.get<string>('name')], ctx.line);
    },
  }),
  command({
    mode: 'ikev2-policy',
    syntax: seq('match', 'address', 'local', val('address', ipAddress, 'local address')),
    run(ctx, args) {
      addAll(ctx.state.matchAddressLocal, [args.get<IpValue>('address').address], ctx.line);
    },
  }),
  unsupported('ikev2-policy', ['match', 'fvrf'], 'match fvrf', 'ikelb has no VRFs'),
];
