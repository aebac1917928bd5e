/**
 * `npm start`'s server: `next start`, with glibc's malloc told to give freed memory back.
 *
 * glibc raises its trim threshold after a large block is freed (up to 64 MB) and keeps that much
 * freed memory at the top of the heap for later. Start-up frees tens of MB that way (PGlite's
 * start-up alone leaves ≈ 50 MB), so the idle server held ≈ 40 MB it no longer used: 253 →
 * 209–217 MB with the embedded database, measured with bench/. A fixed threshold turns the
 * raise off. glibc reads it from the environment when a process starts, so on Linux this
 * process becomes `next start` with it set (process.execve: the same process, no wrapper left
 * running); on other systems, or a Node without execve (before 22.15), it runs Next's CLI as it is.
 *
 * Plain JavaScript, so it starts without a TypeScript loader.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const TRIM_THRESHOLD = "MALLOC_TRIM_THRESHOLD_";
// 8 MiB: low enough that the idle server returns what start-up freed (≈ 209–217 MB idle against
// 253), high enough that a busy one is not trimming and growing its heap on every burst (1 MiB
// measured ≈ 10 % slower at p50 with PGlite, 50 concurrent validations).
const EIGHT_MIB = String(8 * 1024 * 1024);

const require = createRequire(import.meta.url);
const nextPackage = require.resolve("next/package.json");
const nextCli = path.join(path.dirname(nextPackage), require(nextPackage).bin.next);
const args = [nextCli, "start", ...process.argv.slice(2)];

if (process.platform === "linux" && process.env[TRIM_THRESHOLD] === undefined && typeof process.execve === "function") {
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...args], { ...process.env, [TRIM_THRESHOLD]: EIGHT_MIB });
}
process.argv = [process.execPath, ...args];
await import(pathToFileURL(nextCli).href);
