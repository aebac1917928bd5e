/**
 * Every file a Markdown page or a code comment points at exists: relative Markdown links, and repo paths
 * named in Markdown or in comments of .ts/.tsx/.js/.mjs files (`lib/config.ts`, `para-local/README.md`, a
 * bare `README.md`; what counts as a repo path is in isRepoPath). URLs, routes (`/api/session`) and package
 * paths (`@getpara/web-sdk/dist/…`) are not repo paths. Exit 1 with `file:line: missing path` for each one
 * that is not there.
 *
 *   npx tsx scripts/check-references.ts
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

export interface Problem {
  file: string;
  line: number;
  /** The path as written. */
  target: string;
}

const CODE = /\.(ts|tsx|js|mjs)$/;
// A path-like run of segments (Next's `(group)` and `[param]` included), not inside a URL, a package path
// (`@scope/…`) or a route (`/api/…`).
const SEGMENT = String.raw`(?:\([\w-]+\)|\[{1,2}(?:\.{3})?[\w-]+\]{1,2}|[\w.+-])+`;
const MENTION = new RegExp(String.raw`(?<![\w.\/@~$-])${SEGMENT}(?:\/${SEGMENT})*\/?`, "g");
// [text](target "title") and ![alt](target); a target may hold one level of parentheses (a Next route group).
const LINK = /!?\[[^\]]*\]\(\s*(<[^>]*>|(?:[^()\s]|\([^()\s]*\))+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
const DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm;

/** Every path a Markdown file or the comments of a code file name that is not among `paths` (files and folders, repo-relative). */
export function findMissingReferences(file: string, text: string, paths: ReadonlySet<string>): Problem[] {
  const problems = new Map<string, Problem>();
  const report = (offset: number, target: string) => {
    const line = text.slice(0, offset).split("\n").length;
    problems.set(`${line}\0${target}`, { file, line, target });
  };
  const pieces = file.endsWith(".md") ? [{ offset: 0, text }] : CODE.test(file) ? comments(file, text) : [];
  const topLevel = new Set([...paths].filter((p) => !p.includes("/")));
  for (const piece of pieces) {
    for (const match of piece.text.matchAll(MENTION)) {
      const mention = match[0].replace(/\.+$/, ""); // a sentence's full stop
      if (isRepoPath(mention, topLevel, file, paths) && !mentionExists(file, mention, paths)) report(piece.offset + match.index, mention);
    }
  }
  if (file.endsWith(".md")) {
    const prose = blankCode(text);
    for (const match of [...prose.matchAll(LINK), ...prose.matchAll(DEFINITION)]) {
      const target = match[1]!.replace(/^<|>$/g, "");
      const resolved = resolveLink(file, target);
      if (resolved !== undefined && !paths.has(resolved)) report(match.index, target.replace(/[?#].*$/, ""));
    }
  }
  return [...problems.values()].sort((a, b) => a.line - b.line);
}

/** The comments of a JS/TS file with their offsets, as TypeScript's scanner finds them (not `//` inside strings or regexes). */
function comments(file: string, text: string): { offset: number; text: string }[] {
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : file.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found = new Map<number, string>();
  const visit = (node: ts.Node) => {
    // Every comment sits in the trivia before some token: on its line (trailing) or on lines of its own (leading).
    const ranges = [...(ts.getTrailingCommentRanges(text, node.pos) ?? []), ...(ts.getLeadingCommentRanges(text, node.pos) ?? [])];
    for (const range of ranges) found.set(range.pos, text.slice(range.pos, range.end));
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return [...found].map(([offset, comment]) => ({ offset, text: comment }));
}

/**
 * A repo path: under a top-level folder (`lib/…`), under a folder beside the file or a Next route group
 * or dynamic segment, or a bare `.ts`/`.tsx`/`.md` name. Bare `.js` names are left out: in comments
 * they are the SDKs' files and the names of libraries (`Next.js`, `web3.js`).
 */
function isRepoPath(mention: string, topLevel: ReadonlySet<string>, file: string, paths: ReadonlySet<string>): boolean {
  const segments = mention.split("/");
  const first = segments[0]!;
  if (segments.length === 1) return /^[\w-][\w.-]*\.(tsx?|md)$/i.test(mention);
  if (first === "." || first === "..") return false; // an import specifier, without its extension
  if (topLevel.has(first) || /^[([]/.test(first) || paths.has(path.posix.join(path.posix.dirname(file), first))) return true;
  // A `.md` under a folder that is not yet there, but not under a host (`github.com/…`) or an install (`node_modules/…`).
  return /\.md$/i.test(mention) && !first.includes(".") && first !== "node_modules";
}

/** From the repo's root or the file's folder; a bare name anywhere in the repo. */
function mentionExists(file: string, mention: string, paths: ReadonlySet<string>): boolean {
  const target = mention.replace(/\/$/, "");
  if (paths.has(target) || paths.has(path.posix.join(path.posix.dirname(file), target))) return true;
  return !target.includes("/") && [...paths].some((p) => p.endsWith(`/${target}`));
}

/** The repo path a Markdown link points at, or undefined for a URL, an anchor on the same page, or an empty link. */
function resolveLink(file: string, target: string): string | undefined {
  if (/^([a-z][a-z\d+.-]*:|#|\/\/)/i.test(target)) return undefined;
  let pathPart = target.replace(/[?#].*$/, "");
  if (!pathPart) return undefined;
  try {
    pathPart = decodeURIComponent(pathPart);
  } catch {
    // Not percent-encoded after all: checked as written.
  }
  // GitHub resolves a leading `/` from the repo's root.
  const joined = pathPart.startsWith("/") ? pathPart.slice(1) : path.posix.join(path.posix.dirname(file), pathPart);
  return path.posix.normalize(joined).replace(/\/$/, "") || ".";
}

/** Fenced blocks and inline code spans blanked out (newlines kept), so a link written as code is not a link. */
function blankCode(markdown: string): string {
  const blank = (code: string) => code.replace(/[^\n]/g, " ");
  return markdown
    .replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(^ {0,3}\1[^\n]*$|(?![\s\S]))/gm, blank)
    .replace(/(`+)[^`][\s\S]*?\1/g, blank);
}

/** The repo's files: tracked, and new ones git does not ignore (so a page being written is checked too). */
function repoPaths(): string[] {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" });
  return [...new Set(listed.split("\0"))].filter((file) => file && existsSync(file)).sort();
}

function main(): void {
  const files = repoPaths();
  // Every file and every folder above one.
  const paths = new Set(files.flatMap((file) => file.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"))));
  const checked = files.filter((file) => file.endsWith(".md") || CODE.test(file));
  const problems = checked.flatMap((file) => findMissingReferences(file, readFileSync(file, "utf8"), paths));
  for (const { file, line, target } of problems) process.stdout.write(`${file}:${line}: missing ${target}\n`);
  const outcome = problems.length ? `${problems.length} missing` : "every reference found";
  process.stdout.write(`check-references: ${outcome} in ${checked.length} files\n`);
  if (problems.length) process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
