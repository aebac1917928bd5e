"use client";

import { useState } from "react";
import { type ApiResult, callApi } from "../api-client";
import type { SigningMode } from "./types";

/**
 * The state of a grid of example runs, by cell: whether each is running and what the server last
 * answered. `run` POSTs to the path, with the pregenerated set's id in the pregen column.
 */
export function useExampleRuns<Cell extends string>(pregenSetId: string | null) {
  const [results, setResults] = useState<Partial<Record<Cell, ApiResult>>>({});
  const [running, setRunning] = useState<Partial<Record<Cell, boolean>>>({});

  async function run(cell: Cell, mode: SigningMode, path: string) {
    setRunning((previous) => ({ ...previous, [cell]: true }));
    const result = mode === "pregen" ? await callApi("POST", path, { setId: pregenSetId }) : await callApi("POST", path);
    setResults((previous) => ({ ...previous, [cell]: result }));
    setRunning((previous) => ({ ...previous, [cell]: false }));
  }

  return { results, running, run };
}
