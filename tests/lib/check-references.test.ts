import { describe, expect, test } from "vitest";
import { findMissingReferences } from "../../scripts/check-references";

// A tiny repo: files and the folders above them, as the script builds the set from git.
const PATHS = new Set([
  "README.md",
  "app",
  "app/layout.tsx",
  "app/(para)",
  "app/(para)/layout.tsx",
  "docs",
  "docs/architecture.md",
  "lib",
  "lib/config.ts",
  "para-local",
  "para-local/README.md",
]);

const missing = (file: string, text: string) => findMissingReferences(file, text, PATHS).map(({ line, target }) => `${line} ${target}`);

describe("Markdown", () => {
  test("a relative link is checked from the page's folder, anchors and URLs are not paths", () => {
    const page = [
      "[good](architecture.md#who) [up](../lib/config.ts) [root](/README.md) [web](https://example.com/x.md) [here](#top)",
      "[bad](session-life.md) ![img](../lib/logo.svg)",
      "`[code](nowhere.md)` is not a link",
    ].join("\n");
    expect(missing("docs/index.md", page)).toEqual(["2 session-life.md", "2 ../lib/logo.svg", "3 nowhere.md"]);
  });

  test("a link written inside a fenced block is not a link, but a repo path there is still checked", () => {
    const page = "```\n[x](gone.png) lib/gone.ts\n```\n";
    expect(missing("README.md", page)).toEqual(["2 lib/gone.ts"]);
  });

  test("a repo path in prose: under a top-level folder or a bare .md name", () => {
    const page = "See `lib/config.ts`, lib/old.ts, para-local/README.md and old-notes.md.";
    expect(missing("README.md", page)).toEqual(["1 lib/old.ts", "1 old-notes.md"]);
  });

  test("package paths, URLs, routes and installs are not repo paths", () => {
    const page = [
      "`@getpara/web-sdk/dist/index.js`, https://github.com/x/lib/README.md, `/api/session`, /lib/x,",
      "node_modules/pkg/README.md, github.com/x/y/NOTES.md, Next.js and web3.js",
    ].join("\n");
    expect(missing("README.md", page)).toEqual([]);
  });
});

describe("code comments", () => {
  test("a path in a comment is checked, the same text in a string or a regex is not", () => {
    const code = [
      'const a = "lib/gone.ts"; // lib/config.ts',
      "const b = /\\/\\/ lib\\/gone.ts/; /* see PLAN.md */",
      "// (para)/layout.tsx and (para)/page.tsx, beside this file",
    ].join("\n");
    expect(missing("app/layout.tsx", code)).toEqual(["2 PLAN.md", "3 (para)/page.tsx"]);
  });

  test("a comment in JSX, and a bare .tsx name found anywhere in the repo", () => {
    const code = "export const A = () => (\n  <p>\n    {/* layout.tsx, home-area.tsx */}\n    lib/gone.ts is text\n  </p>\n);";
    expect(missing("app/page.tsx", code)).toEqual(["3 home-area.tsx"]);
  });
});
