// What the portal's pages share: text and JSON made safe to put in HTML.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** JSON that cannot close the surrounding <script> element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** The styles every portal page shares; a page adds its own after them. */
const BASE_STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  form { display: grid; gap: 10px; }
  label { display: grid; gap: 4px; font-size: 14px; }
  input { font: inherit; padding: 10px 12px; border: 1px solid #8888; border-radius: 8px; }
  button { font: inherit; padding: 10px 12px; border-radius: 8px; background: #111; color: #fff; cursor: pointer; }
  button:disabled { opacity: .6; cursor: progress; }
  p { margin: 0; font-size: 14px; }
  [role=alert] { color: #c0262d; min-height: 1.2em; }
  .note { opacity: .7; font-size: 12px; }`;

/**
 * A portal page: the document, the shared styles and the page's own, its body, and its script
 * with its settings as JSON (read by the script from `#config`). `title` and `body` are HTML:
 * escape what comes from a request before passing it.
 */
export function portalPage({
  title,
  style,
  body,
  config,
  script,
}: {
  title: string;
  style: string;
  body: string;
  config: unknown;
  script: string;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · para-local</title>
<style>${BASE_STYLE}
${style}
</style>
</head>
<body>
${body}
<script id="config" type="application/json">${jsonForScript(config)}</script>
<script>${script}</script>
</body>
</html>`;
}
