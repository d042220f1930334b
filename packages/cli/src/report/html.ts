/**
 * The report page: one HTML file with inline CSS and no scripts, whose only outside references
 * are the PNGs beside it (relative paths), so the folder can be copied or attached as is.
 */

export interface HtmlTable {
  readonly caption?: string;
  /** Right-aligns every column but the first, for tables of numbers; default left-aligned. */
  readonly numeric?: boolean;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface HtmlImage {
  /** A path relative to the page. */
  readonly src: string;
  readonly width: number;
  readonly height: number;
  readonly alt: string;
  readonly caption: string;
}

export interface HtmlSection {
  readonly id: string;
  readonly heading: string;
  readonly paragraphs?: readonly string[];
  readonly tables?: readonly HtmlTable[];
  readonly images?: readonly HtmlImage[];
}

export interface HtmlPage {
  readonly title: string;
  readonly intro: readonly string[];
  readonly sections: readonly HtmlSection[];
}

const CSS = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937; margin: 0 auto; max-width: 1120px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 8px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
p { margin: 6px 0; }
.muted { color: #6b7280; }
nav a { margin-right: 14px; }
table { border-collapse: collapse; margin: 10px 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #e5e7eb; padding: 4px 10px; text-align: left; }
table.numeric th:not(:first-child), table.numeric td:not(:first-child) { text-align: right; }
thead th { background: #f9fafb; }
figure { margin: 14px 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e5e7eb; }
figcaption { color: #6b7280; font-size: 14px; }
`;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function table(t: HtmlTable): string {
  const head = t.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const rows = t.rows.map((r) => `<tr>${r.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  const caption = t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : '';
  return `<table${t.numeric ? ' class="numeric"' : ''}>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody></table>`;
}

function image(i: HtmlImage): string {
  return `<figure><img src="${escapeHtml(i.src)}" width="${i.width}" height="${i.height}" alt="${escapeHtml(i.alt)}"><figcaption>${escapeHtml(i.caption)}</figcaption></figure>`;
}

function section(s: HtmlSection): string {
  return [
    `<section id="${escapeHtml(s.id)}">`,
    `<h2>${escapeHtml(s.heading)}</h2>`,
    ...(s.paragraphs ?? []).map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(s.tables ?? []).map(table),
    ...(s.images ?? []).map(image),
    '</section>',
  ].join('\n');
}

/** The whole page; every piece of text is escaped. */
export function reportHtml(page: HtmlPage): string {
  const nav = page.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.heading)}</a>`).join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // An empty icon: otherwise browsers ask for favicon.ico, which a report folder does not have.
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(page.title)}</h1>`,
    ...page.intro.map((p) => `<p class="muted">${escapeHtml(p)}</p>`),
    `<nav>${nav}</nav>`,
    ...page.sections.map(section),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
