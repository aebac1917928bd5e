import "server-only";

/** Para environments the browser and server SDKs accept (`Environment` in the SDKs). */
export type ParaEnvironment = "DEV" | "SANDBOX" | "BETA" | "PROD";

/** What the browser needs to talk to Para: safe to send to the client. */
export interface ParaPublicConfig {
  mode: "local" | "para";
  environment: ParaEnvironment;
  apiKey: string;
}

/** The key para-local accepts. It has no `_`, so the SDK keeps `Environment.DEV` (localhost). */
export const PARA_LOCAL_API_KEY = "para-local-key";

/**
 * The Para configuration the browser receives at run time (props from the root layout),
 * so one build serves para-local and Para.
 */
export function getParaPublicConfig(): ParaPublicConfig {
  const apiKey = process.env.PARA_API_KEY;
  if (!apiKey) return { mode: "local", environment: "DEV", apiKey: PARA_LOCAL_API_KEY };
  const environment = (process.env.PARA_ENVIRONMENT ?? "BETA").toUpperCase();
  if (environment !== "SANDBOX" && environment !== "BETA" && environment !== "PROD") {
    throw new Error(`PARA_ENVIRONMENT must be SANDBOX, BETA or PROD (got "${process.env.PARA_ENVIRONMENT}").`);
  }
  return { mode: "para", environment, apiKey };
}
