import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * The two worker bundles the portal serves. The server SDK `eval`s its bundle in a
 * worker thread (CommonJS, Node); the browser SDK runs its bundle as a Web Worker.
 * Built from source on first request and kept in memory.
 */
const SOURCES = {
  "mpcWorkerServer-bundle.js": { entry: "server-worker.ts", platform: "node", format: "cjs" },
  "mpcWorker-bundle.js": { entry: "browser-worker.ts", platform: "browser", format: "iife" },
} as const;

export type WorkerBundleName = keyof typeof SOURCES;

const cache = new Map<WorkerBundleName, Promise<string>>();

export function isWorkerBundle(name: string): name is WorkerBundleName {
  return Object.hasOwn(SOURCES, name);
}

export function workerBundle(name: WorkerBundleName): Promise<string> {
  let bundle = cache.get(name);
  if (!bundle) {
    const { entry, platform, format } = SOURCES[name];
    bundle = build({
      entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
      bundle: true,
      write: false,
      platform,
      format,
      target: platform === "node" ? "node20" : "es2022",
      minify: false,
      logLevel: "silent",
    }).then((result) => result.outputFiles[0]!.text);
    bundle.catch(() => cache.delete(name));
    cache.set(name, bundle);
  }
  return bundle;
}
