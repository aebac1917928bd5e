import { build } from "esbuild";
import { describe, expect, test } from "vitest";

/**
 * The server SDK, ≈ 0.5 s and 90 MB to load with the viem integration it re-exports, is loaded only
 * where a request imports a session or signs (a dynamic import in lib/session/service.ts): the
 * checks of a held session go through core-sdk's API client (lib/para/one-call-recheck.ts), so a
 * fresh instance answers its first GET /api/session without it. This reads the import graph the sources declare, as esbuild
 * resolves it (tsconfig paths included), and follows every import that loads with the module.
 */
const VALIDATING = [
  "app/api/session/route.ts",
  "app/api/session/keep-alive/route.ts",
  "app/api/session/verify/route.ts",
  "app/api/session/jwt/route.ts",
  "app/account/page.tsx",
];
const SERVER_SDK = "@getpara/server-sdk";

describe("what a route loads with it", () => {
  test.each(VALIDATING)("%s: core-sdk's API client, never the server SDK", async (route) => {
    const packages = await packagesLoadedWith(route);
    expect(packages).toContain("@getpara/core-sdk");
    expect(packages).not.toContain(SERVER_SDK);
    expect(packages).not.toContain("@getpara/viem-v2-integration");
  });

  // The walk finds the SDK where it is loaded with the module, so the refusals above can fail.
  test("a signing route loads the server SDK with it", async () => {
    expect(await packagesLoadedWith("app/api/examples/[library]/pregen/route.ts")).toContain(SERVER_SDK);
  });
});

/** The packages (bare names) a module loads with it: its static imports, followed through the repo's own files. */
async function packagesLoadedWith(entry: string): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    packages: "external",
    jsx: "automatic",
    loader: { ".css": "empty" },
    logLevel: "silent",
  });
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.kind === "dynamic-import") continue;
      if (imported.external) packages.add(packageName(imported.path));
      else visit(imported.path);
    }
  };
  visit(entry);
  return [...packages];
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}
