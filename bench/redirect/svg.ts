// The SVG chart of bench/redirect: answers/s per contestant (median bar, min–max
// whisker over the rounds) and server CPU per answer (user + system, stacked).
export interface ChartSummary {
  readonly label: string;
  readonly answersPerS: number;
  readonly minAnswersPerS: number;
  readonly maxAnswersPerS: number;
  readonly userUsPerAnswer: number;
  readonly sysUsPerAnswer: number;
}

export interface ChartRatio {
  readonly name: string;
  readonly value: number;
  readonly target: string;
  readonly met: boolean;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderSvg(summaries: readonly ChartSummary[], ratios: readonly ChartRatio[], date: string): string {
  const width = 900;
  const rowH = 34;
  const left = 280;
  const barW = 420;
  const top = 60;
  const panelH = summaries.length * rowH;
  const cpuTop = top + panelH + 60;
  const ratioTop = cpuTop + panelH + 50;
  const height = ratioTop + ratios.length * 20 + 30;
  const maxRate = Math.max(1, ...summaries.map((s) => s.maxAnswersPerS));
  const maxCpu = Math.max(1e-9, ...summaries.map((s) => s.userUsPerAnswer + s.sysUsPerAnswer));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="20" y="28" font-size="17" font-weight="bold">ikelb bench/redirect — IKE_SA_INIT → REDIRECT on loopback</text>`);
  out.push(`<text x="20" y="${top - 10}" font-weight="bold">answers per second (median of rounds; whisker: min–max)</text>`);
  summaries.forEach((s, i) => {
    const y = top + i * rowH;
    const w = (s.answersPerS / maxRate) * barW;
    out.push(`<text x="${left - 10}" y="${y + 18}" text-anchor="end">${esc(s.label)}</text>`);
    out.push(`<rect x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="20" fill="${s.label.startsWith('ikelb') ? '#2b7bb9' : '#9aa5b1'}"/>`);
    const x0 = left + (s.minAnswersPerS / maxRate) * barW;
    const x1 = left + (s.maxAnswersPerS / maxRate) * barW;
    out.push(`<line x1="${x0.toFixed(1)}" y1="${y + 14}" x2="${x1.toFixed(1)}" y2="${y + 14}" stroke="black"/>`);
    out.push(`<text x="${left + barW + 40}" y="${y + 18}">${Math.round(s.answersPerS).toLocaleString('en-US')}/s</text>`);
  });
  out.push(`<text x="20" y="${cpuTop - 10}" font-weight="bold">server CPU per answer, µs (user dark, system light)</text>`);
  summaries.forEach((s, i) => {
    const y = cpuTop + i * rowH;
    const wu = (s.userUsPerAnswer / maxCpu) * barW;
    const ws = (s.sysUsPerAnswer / maxCpu) * barW;
    out.push(`<text x="${left - 10}" y="${y + 18}" text-anchor="end">${esc(s.label)}</text>`);
    out.push(`<rect x="${left}" y="${y + 4}" width="${wu.toFixed(1)}" height="20" fill="#c0392b"/>`);
    out.push(`<rect x="${(left + wu).toFixed(1)}" y="${y + 4}" width="${ws.toFixed(1)}" height="20" fill="#f1a9a0"/>`);
    out.push(`<text x="${left + barW + 40}" y="${y + 18}">${s.userUsPerAnswer.toFixed(2)} + ${s.sysUsPerAnswer.toFixed(2)}</text>`);
  });
  out.push(`<text x="20" y="${ratioTop - 12}" font-weight="bold">targets (ratios of medians, same run)</text>`);
  ratios.forEach((r, i) => {
    out.push(`<text x="30" y="${ratioTop + i * 20 + 4}" fill="${r.met ? '#1e7b34' : '#b00020'}">${esc(`${r.name}: ${r.value.toFixed(2)} (target ${r.target}) ${r.met ? 'met' : 'NOT met'}`)}</text>`);
  });
  out.push(`<text x="${width - 20}" y="${height - 10}" text-anchor="end" font-size="11" fill="#666">${esc(date)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
