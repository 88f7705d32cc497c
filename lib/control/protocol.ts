// The control socket protocol: one JSON object per line in each direction over
// a Unix stream socket. A request names an IOS-style command as words
// (["show", "crypto", "ikev2", "sa", "detail"]); the answer carries both the
// text a network engineer reads and the structured data behind it (--json).

export interface ControlRequest {
  readonly words: readonly string[];
}

export type ControlResponse =
  | { readonly ok: true; readonly text: string; readonly data: unknown }
  | { readonly ok: false; readonly error: string };

/** Longest request line the server accepts; anything longer is refused, not buffered. */
export const maxRequestBytes = 64 * 1024;

/** Where a daemon listens when no --control is given. */
export function defaultControlPath(): string {
  if (process.getuid?.() === 0) return '/run/ikelb/ikelb.sock';
  const runtime = process.env.XDG_RUNTIME_DIR;
  return runtime !== undefined && runtime !== '' ? `${runtime}/ikelb.sock` : `/tmp/ikelb-${process.getuid?.() ?? 'user'}/ikelb.sock`;
}
