/**
 * A check of server-rendered HTML for injected markup: every tag must be one the pages emit, and no tag may carry
 * an event-handler attribute or an unquoted/single-quoted value (the pages write every attribute in double quotes,
 * and escape `"` inside them, so text from a name cannot leave its attribute).
 */
const PAGE_TAGS = new Set(
  'html head meta title link body header nav a main footer h1 h2 table thead tbody tr th td ul li div span p pre form label input button progress'.split(
    ' ',
  ),
);

export function injectedMarkup(page: string): string[] {
  const problems: string[] = [];
  for (const match of page.matchAll(/<(\/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>/g)) {
    const tag = match[2].toLowerCase();
    if (!PAGE_TAGS.has(tag)) problems.push(`unexpected <${tag}> in ${match[0]}`);
    const attributes = match[3].replace(/"[^"]*"/g, '""');
    if (/\son[a-z]+\s*=/i.test(attributes)) problems.push(`event handler in ${match[0]}`);
    if (/=\s*[^"\s]/.test(attributes)) problems.push(`attribute value not in double quotes in ${match[0]}`);
  }
  return problems;
}
