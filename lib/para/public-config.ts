import "server-only";
import { getConfig } from "../config";
import type { ParaEnvironment } from "./environments";

/** What the browser needs to talk to Para: nothing secret (the API key is a public key). */
export interface ParaPublicConfig {
  mode: "local" | "para";
  environment: ParaEnvironment;
  apiKey: string;
}

/** Sent to the client from the root layout at run time, so one build serves para-local and Para. */
export function getParaPublicConfig(): ParaPublicConfig {
  const { mode, para } = getConfig();
  return { mode, environment: para.environment, apiKey: para.apiKey };
}
