// `crypto ikev2 keyring NAME` with `peer NAME` blocks: who a peer is (address,
// hostname, identity) and its pre-shared keys.
import { type Args, type CommandContext, command, type CommandSpec, unsupported } from '../command';
import { at, type KeyringDraft, type KeyringPeerDraft } from '../draft';
import type { ModeName } from '../modes';
import { Secret } from '../secret';
import { type Node, oneOf, opt, rest, seq, val } from '../syntax';
import { fqdn, name, secretText, text } from '../values';
import { addressMatchFrom, addressMatchSyntax, identityMatchFrom, identityMatchSyntax } from './identity';

/** `[0|6] KEY`: type 0 is clear text; type 6 is AES-encrypted with the router's master key. */
export const keySyntax: Node = seq(opt(oneOf('keyType', ['0', '6'])), val('key', secretText(256), 'key'));

/** The key of a `[0|6] KEY` argument, or undefined after reporting why not. */
export function keyFrom<M extends ModeName>(ctx: CommandContext<M>, args: Args): Secret | undefined {
  if (args.opt<string>('keyType') === '6') {
    ctx.error("type 6 keys are encrypted with the router's master key, which ikelb does not have: write the key in clear text (type 0)");
    return undefined;
  }
  return new Secret(args.get<string>('key'));
}

export const keyringCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'keyring', val('name', name(), 'keyring name')),
    opens: { mode: 'ikev2-keyring', scratch: (): KeyringDraft => ({ name: '', line: 0, peers: new Map() }) },
    run(ctx, args) {
      const keyringName = args.get<string>('name');
      let keyring = ctx.state.keyrings.get(keyringName);
      if (keyring === undefined) {
        keyring = { name: keyringName, line: ctx.line, peers: new Map() };
        ctx.state.keyrings.set(keyringName, keyring);
      }
      ctx.enter('ikev2-keyring', keyring);
    },
  }),
  unsupported('global', ['crypto', 'ikev2', 'keyring', 'aaa'], 'crypto ikev2 keyring aaa', 'keys come from local keyrings'),
  command({
    mode: 'ikev2-keyring',
    syntax: seq('peer', val('name', name(), 'peer name')),
    opens: { mode: 'ikev2-keyring-peer', scratch: (): KeyringPeerDraft => ({ name: '', line: 0 }) },
    run(ctx, args) {
      const peerName = args.get<string>('name');
      let peer = ctx.state.peers.get(peerName);
      if (peer === undefined) {
        peer = { name: peerName, line: ctx.line };
        ctx.state.peers.set(peerName, peer);
      }
      ctx.enter('ikev2-keyring-peer', peer);
    },
  }),
  command({
    mode: 'ikev2-keyring-peer',
    syntax: seq('description', rest('description', text(240))),
    run(ctx, args) {
      ctx.state.description = args.get<string>('description');
    },
  }),
  command({
    mode: 'ikev2-keyring-peer',
    syntax: seq('address', addressMatchSyntax()),
    run(ctx, args) {
      ctx.state.address = at(addressMatchFrom(args), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-keyring-peer',
    syntax: seq('hostname', val('hostname', fqdn, 'hostname')),
    run(ctx, args) {
      ctx.state.hostname = at(args.get<string>('hostname'), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-keyring-peer',
    syntax: seq('identity', identityMatchSyntax(false)),
    run(ctx, args) {
      ctx.state.identity = at(identityMatchFrom(args), ctx.line);
    },
  }),
  command({
    mode: 'ikev2-keyring-peer',
    syntax: seq('pre-shared-key', opt(oneOf('direction', ['local', 'remote'])), keySyntax),
    run(ctx, args) {
      const key = keyFrom(ctx, args);
      if (key === undefined) return;
      const direction = args.opt<string>('direction');
      if (direction !== 'remote') ctx.state.localKey = at(key, ctx.line);
      if (direction !== 'local') ctx.state.remoteKey = at(key, ctx.line);
    },
  }),
];
