// The SVG chart of bench/handshake: established handshakes per second per
// contestant (median bar, min–max whisker over the rounds) against the
// DH-bound limit of the server core, and the scale figures as text.
export interface RateSummary {
  readonly label: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderSvg(rates: readonly RateSummary[], dhLimit: number, lines: readonly string[], date: string): string {
  const width = 900;
  const left = 200;
  const barW = 560;
  const top = 70;
  const rowH = 40;
  const max = Math.max(dhLimit, ...rates.map((r) => r.max)) * 1.05;
  const x = (v: number): number => left + (v / max) * barW;
  const textTop = top + rates.length * rowH + 60;
  const height = textTop + lines.length * 20 + 30;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="20" y="28" font-size="17" font-weight="bold">ikelb bench/handshake — IKE_SA_INIT + IKE_AUTH (X25519, AES-GCM-256, PSK)</text>`,
    `<text x="20" y="${top - 14}" font-weight="bold">established per second, server pinned to one core (median of rounds; whisker: min–max)</text>`,
  ];
  rates.forEach((r, i) => {
    const y = top + i * rowH;
    out.push(`<text x="20" y="${y + 20}">${esc(r.label)}</text>`);
    out.push(`<rect x="${left}" y="${y + 6}" width="${(x(r.median) - left).toFixed(1)}" height="22" fill="${i === 0 ? '#2b6cb0' : '#718096'}"/>`);
    out.push(`<line x1="${x(r.min).toFixed(1)}" x2="${x(r.max).toFixed(1)}" y1="${y + 17}" y2="${y + 17}" stroke="black"/>`);
    out.push(`<text x="${(x(r.median) + 6).toFixed(1)}" y="${y + 22}">${Math.round(r.median)}/s</text>`);
  });
  const lx = x(dhLimit).toFixed(1);
  out.push(`<line x1="${lx}" x2="${lx}" y1="${top}" y2="${top + rates.length * rowH + 4}" stroke="#c53030" stroke-dasharray="5,4"/>`);
  out.push(`<text x="${lx}" y="${top + rates.length * rowH + 20}" fill="#c53030" text-anchor="middle">DH-bound limit ${Math.round(dhLimit)}/s</text>`);
  lines.forEach((l, i) => out.push(`<text x="20" y="${textTop + i * 20}">${esc(l)}</text>`));
  out.push(`<text x="20" y="${height - 10}" font-size="11" fill="#555">${esc(date)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}
