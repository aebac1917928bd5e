import type { LaunchOptions } from "@playwright/test";

/**
 * How the specs and the benchmarks start Chromium: Debian's build (Playwright never downloads one
 * here), with the background networking that a closed network refuses switched off.
 */
export const CHROMIUM_LAUNCH: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
