// RFC 5685 redirect settings and cluster reconnect keys:
//   crypto ikev2 redirect client [max-redirects N]
//   crypto ikev2 redirect gateway init|auth
//   crypto ikev2 redirect gateway static ADDR [capacity N]   (ikelb extension)
//   crypto ikev2 reconnect key 1|2 [active] KEY
import { command, type CommandSpec, noForm } from '../command';
import { at } from '../draft';
import { Secret } from '../secret';
import { flag, oneOf, opt, seq, val } from '../syntax';
import { int, type IpValue, ipAddress, secretText } from '../values';

export const redirectCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'redirect', 'client', opt('max-redirects', val('max', int(1, 255), 'max-redirects'))),
    run(ctx, args) {
      ctx.state.redirectClient = at({ enabled: true, maxRedirects: args.opt<number>('max') ?? null }, ctx.line);
    },
    no: {
      syntax: noForm('crypto', 'ikev2', 'redirect', 'client'),
      run(ctx) {
        ctx.state.redirectClient = at({ enabled: false, maxRedirects: null }, ctx.line);
      },
    },
  }),
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'redirect', 'gateway', oneOf('when', ['init', 'auth'])),
    run(ctx, args) {
      if (args.get<string>('when') === 'init') ctx.state.redirectGatewayInit = at(true, ctx.line);
      else ctx.state.redirectGatewayAuth = at(true, ctx.line);
    },
    no: {
      syntax: seq('crypto', 'ikev2', 'redirect', 'gateway', oneOf('when', ['init', 'auth'])),
      run(ctx, args) {
        if (args.get<string>('when') === 'init') ctx.state.redirectGatewayInit = at(false, ctx.line);
        else ctx.state.redirectGatewayAuth = at(false, ctx.line);
      },
    },
  }),
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'redirect', 'gateway', 'static', val('address', ipAddress, 'target address'), opt('capacity', val('capacity', int(1, 10_000_000), 'capacity'))),
    run(ctx, args) {
      const address = args.get<IpValue>('address');
      if (ctx.state.redirectStatic.some((t) => t.value.address === address.address)) {
        ctx.error(`static redirect target ${address.address} is already configured`);
        return;
      }
      ctx.state.redirectStatic.push(at({ address: address.address, family: address.family, capacity: args.opt<number>('capacity') ?? null }, ctx.line));
    },
  }),
  command({
    mode: 'global',
    syntax: seq('crypto', 'ikev2', 'reconnect', 'key', val('id', int(1, 2), 'key number'), opt(flag('active')), val('key', secretText(256), 'reconnect key')),
    run(ctx, args) {
      const key = args.get<string>('key');
      if (key.length < 16) ctx.warn('a reconnect key shorter than 16 characters is weak: it protects every reconnect ticket');
      ctx.state.reconnectKeys.set(args.get<number>('id') as 1 | 2, at({ active: args.has('active'), key: new Secret(key) }, ctx.line));
    },
  }),
];
