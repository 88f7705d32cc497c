// `show crypto ikev2 client flexvpn [NAME]` for a client daemon running
// several `crypto ikev2 client flexvpn` blocks: every client's state, or the
// named one's. Registered before the clients, so it answers for all of them
// (each FlexvpnClient only registers the command when nobody has). One
// client: the same text and JSON as that client's own show.
import type { ControlServer } from '../control/server';
import { IkelbError } from '../errors';
import type { FlexvpnClient } from '../ike/flexvpn-client';
import type { Component } from './component';

export class FlexvpnStatus implements Component {
  readonly name = 'flexvpn-status';

  constructor(private readonly clients: readonly FlexvpnClient[]) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  registerCommands(control: ControlServer): void {
    control.register(['show', 'crypto', 'ikev2', 'client', 'flexvpn'], (args) => this.show(args));
  }

  private show(args: readonly string[]): { text: string; data: unknown } {
    const name = args[0];
    const shown = name === undefined ? this.clients : this.clients.filter((c) => c.name === `flexvpn-${name}`);
    if (name !== undefined && shown.length === 0) throw new IkelbError('IKELB_ERR_USAGE', `% No FlexVPN client named ${name}`);
    const [only] = shown;
    if (shown.length === 1 && only !== undefined) return only.show();
    const each = shown.map((c) => c.show());
    return {
      text: each.map((e, i) => `Client : ${(shown[i] as FlexvpnClient).name.replace(/^flexvpn-/, '')}\n${e.text}`).join('\n\n'),
      data: { clients: each.map((e) => e.data) },
    };
  }
}
