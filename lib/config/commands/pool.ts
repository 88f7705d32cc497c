// Address pools for configuration payload (CP) requests:
//   ip local pool NAME START [END]            (repeat the name to add ranges)
//   ipv6 local pool NAME PREFIX/len LEN       (LEN: prefix length per client)
import { command, type CommandSpec } from '../command';
import { at } from '../draft';
import { opt, seq, val } from '../syntax';
import { int, type Ipv4Value, ipv4, type Ipv6PrefixValue, ipv6Prefix, name } from '../values';

export const poolCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('ip', 'local', 'pool', val('name', name(), 'pool name'), val('start', ipv4, 'start address'), opt(val('end', ipv4, 'end address'))),
    run(ctx, args) {
      const poolName = args.get<string>('name');
      const start = args.get<Ipv4Value>('start');
      const end = args.opt<Ipv4Value>('end') ?? start;
      if (end.value < start.value) {
        ctx.error(`the pool's end address ${end.address} is below its start address ${start.address}`);
        return;
      }
      let pool = ctx.state.ipv4Pools.get(poolName);
      if (pool === undefined) {
        pool = { name: poolName, line: ctx.line, ranges: [] };
        ctx.state.ipv4Pools.set(poolName, pool);
      }
      pool.ranges.push(at({ start: start.value, end: end.value }, ctx.line));
    },
  }),
  command({
    mode: 'global',
    syntax: seq('ipv6', 'local', 'pool', val('name', name(), 'pool name'), val('prefix', ipv6Prefix, 'prefix'), val('assigned', int(1, 128), 'assigned prefix length')),
    run(ctx, args) {
      const poolName = args.get<string>('name');
      const prefix = args.get<Ipv6PrefixValue>('prefix');
      const assigned = args.get<number>('assigned');
      if (assigned < prefix.prefixLength) {
        ctx.error(`the assigned prefix length /${assigned} is shorter than the pool's /${prefix.prefixLength}`);
        return;
      }
      if (ctx.state.ipv6Pools.has(poolName)) ctx.warn(`ipv6 local pool ${poolName} is configured again: the last one wins`);
      ctx.state.ipv6Pools.set(
        poolName,
        at({ name: poolName, prefix: prefix.address, groups: prefix.groups, prefixLength: prefix.prefixLength, assignedLength: assigned }, ctx.line),
      );
    },
  }),
];
