import type { Cell, Chart, Format, ReportDocument, Table } from './document.ts';

function text(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

/** A terminal table: aligned columns, a rule under the header, numbers right-aligned. */
export function renderTable(t: Table): string {
  const widths = t.columns.map((c) => Math.max(c.header.length, ...t.rows.map((r) => text(r[c.key]).length)));
  const pad = (s: string, i: number) =>
    t.columns[i]!.align === 'right' ? s.padStart(widths[i]!) : s.padEnd(widths[i]!);
  const lines: string[] = [];
  if (t.title) lines.push(t.title);
  lines.push(
    t.columns
      .map((c, i) => pad(c.header, i))
      .join('  ')
      .trimEnd(),
  );
  lines.push(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of t.rows)
    lines.push(
      t.columns
        .map((c, i) => pad(text(r[c.key]), i))
        .join('  ')
        .trimEnd(),
    );
  if (t.rows.length === 0) lines.push('(none)');
  return lines.join('\n');
}

function csvField(v: Cell): string {
  const s = text(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV; several tables are separated by a blank line, each with its header row. */
export function renderCsv(doc: ReportDocument): string {
  return doc.tables
    .map((t) =>
      [
        t.columns.map((c) => csvField(c.header)).join(','),
        ...t.rows.map((r) => t.columns.map((c) => csvField(r[c.key])).join(',')),
      ].join('\r\n'),
    )
    .join('\r\n\r\n')
    .concat('\r\n');
}

function mdCell(v: Cell): string {
  return text(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** GitHub-flavoured Markdown: a heading, the run's facts, one table per section. */
export function renderMarkdown(doc: ReportDocument): string {
  const out = [`# ${doc.title}`, ''];
  for (const [k, v] of doc.meta) out.push(`- **${k}:** ${v}`);
  for (const t of doc.tables) {
    out.push('');
    if (t.title) out.push(`## ${t.title}`, '');
    out.push(`| ${t.columns.map((c) => mdCell(c.header)).join(' | ')} |`);
    out.push(`| ${t.columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`);
    for (const r of t.rows) out.push(`| ${t.columns.map((c) => mdCell(r[c.key])).join(' | ')} |`);
  }
  return `${out.join('\n')}\n`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An inline SVG horizontal bar chart (no scripts, fonts or external resources). */
export function renderSvgChart(chart: Chart): string {
  const barH = 22;
  const gap = 6;
  const labelW = 180;
  const width = 720;
  const plotW = width - labelW - 110;
  const max = Math.max(1, ...chart.bars.map((b) => Math.abs(b.value)));
  const height = chart.bars.length * (barH + gap) + 30;
  const bars = chart.bars
    .map((b, i) => {
      const y = 24 + i * (barH + gap);
      const w = Math.max(1, Math.round((Math.abs(b.value) / max) * plotW));
      return `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text><rect x="${labelW}" y="${y}" width="${w}" height="${barH}" fill="#2f6fb0"/><text x="${labelW + w + 6}" y="${y + 15}">${esc(b.display ?? String(b.value))}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(chart.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13"><text x="0" y="14" font-weight="bold">${esc(chart.title)}</text>${bars}</svg>`;
}

/** One self-contained HTML page: styles inline, no scripts, fonts or CDNs (SPEC §9). */
export function renderHtml(doc: ReportDocument): string {
  const tables = doc.tables
    .map((t) => {
      const head = t.columns
        .map((c) => `<th${c.align === 'right' ? ' class="r"' : ''}>${esc(c.header)}</th>`)
        .join('');
      const rows = t.rows
        .map(
          (r) =>
            `<tr>${t.columns.map((c) => `<td${c.align === 'right' ? ' class="r"' : ''}>${esc(text(r[c.key]))}</td>`).join('')}</tr>`,
        )
        .join('');
      return `${t.title ? `<h2>${esc(t.title)}</h2>` : ''}<table><thead><tr>${head}</tr></thead><tbody>${rows || `<tr><td colspan="${t.columns.length}">(none)</td></tr>`}</tbody></table>`;
    })
    .join('');
  const meta = doc.meta.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
  const chart = doc.chart && doc.chart.bars.length > 0 ? `<figure>${renderSvgChart(doc.chart)}</figure>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(doc.title)}</title><style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2733}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}table{border-collapse:collapse;margin-top:.6rem}th,td{border-bottom:1px solid #d6dde5;padding:.3rem .6rem;text-align:left}th{background:#f1f4f8}.r{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1.2rem 0}</style></head><body><h1>${esc(doc.title)}</h1><dl>${meta}</dl>${chart}${tables}</body></html>\n`;
}

/** Render a report document in one of the CLI's formats. */
export function render(doc: ReportDocument, format: Format): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(doc.json, null, 2)}\n`;
    case 'csv':
      return renderCsv(doc);
    case 'md':
      return renderMarkdown(doc);
    case 'html':
      return renderHtml(doc);
    case 'table': {
      const head = [doc.title, ...doc.meta.map(([k, v]) => `${k}: ${v}`)].join('\n');
      return `${head}\n\n${doc.tables.map(renderTable).join('\n\n')}\n`;
    }
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
