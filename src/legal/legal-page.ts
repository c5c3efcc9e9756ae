/** One section of a legal page: a heading and its paragraphs or list items (plain text, escaped here). */
export interface LegalSection {
  readonly heading: string;
  readonly paragraphs?: readonly string[];
  readonly items?: readonly string[];
}

/** A legal page's content. */
export interface LegalPage {
  readonly title: string;
  readonly sections: readonly LegalSection[];
}

const STYLE =
  'body{font-family:Segoe UI,system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;' +
  'line-height:1.5;color:#242424}h1{color:#4f52b2}h2{margin-top:1.6rem}';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sectionHtml(section: LegalSection): string {
  const paragraphs = (section.paragraphs ?? []).map((p) => `<p>${escapeHtml(p)}</p>`);
  const items = section.items?.length
    ? [`<ul>${section.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`]
    : [];
  return [`<h2>${escapeHtml(section.heading)}</h2>`, ...paragraphs, ...items].join('\n');
}

/** Renders a legal page as a complete, self-contained HTML document (no scripts, no external assets). */
export function renderLegalPage(page: LegalPage): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(page.title)}</h1>`,
    ...page.sections.map(sectionHtml),
    '</body></html>',
  ].join('\n');
}
