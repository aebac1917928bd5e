/** Para environments, as the SDKs name them (`Environment` in `@getpara/server-sdk`). */
export type ParaEnvironment = "DEV" | "SANDBOX" | "BETA" | "PROD";

/**
 * Where each environment's API answers. DEV is hard-coded to localhost:8080 in the SDK,
 * which is where para-local listens.
 */
export const PARA_API_BASE: Record<ParaEnvironment, string> = {
  DEV: "http://localhost:8080/",
  SANDBOX: "https://api.sandbox.getpara.com/",
  BETA: "https://api.beta.getpara.com/",
  PROD: "https://api.getpara.com/",
};

/**
 * The hosts the browser SDK talks to in each environment: the API, the portal (the modal's
 * iframes and the signing worker) and the MPC network — core-sdk's `getBaseUrl`,
 * `getPortalBaseURL` and `getBaseMPCNetworkUrl`. DEV also reaches them by 127.0.0.1.
 */
export const PARA_BROWSER_ORIGINS: Record<ParaEnvironment, { api: string[]; portal: string[]; mpc: string[] }> = {
  DEV: {
    api: ["http://localhost:8080", "http://127.0.0.1:8080"],
    portal: ["http://localhost:3003", "http://127.0.0.1:3003"],
    mpc: ["ws://localhost:3000", "http://localhost:3000"],
  },
  SANDBOX: {
    api: ["https://api.sandbox.getpara.com"],
    portal: ["https://app.sandbox.getpara.com"],
    mpc: ["wss://mpc-network.sandbox.getpara.com"],
  },
  BETA: { api: ["https://api.beta.getpara.com"], portal: ["https://app.beta.getpara.com"], mpc: ["wss://mpc-network.beta.getpara.com"] },
  PROD: { api: ["https://api.getpara.com"], portal: ["https://app.getpara.com"], mpc: ["wss://mpc-network.prod.getpara.com"] },
};

/** Para's server-side check of a verification token (path 2). */
export function verifyUrlFor(environment: ParaEnvironment): string {
  return new URL("sessions/verify", PARA_API_BASE[environment]).toString();
}

/** The public keys Para signs its JWTs with (path 3): `issueJwt()` tokens are RS256 under one of them. */
export function jwksUrlFor(environment: ParaEnvironment): string {
  return new URL(".well-known/jwks.json", PARA_API_BASE[environment]).toString();
}

const PARA_ENVIRONMENTS = new Set<string>(["DEV", "SANDBOX", "BETA", "PROD"]);

export function isParaEnvironment(value: string): value is ParaEnvironment {
  return PARA_ENVIRONMENTS.has(value);
}

/**
 * The environment a key belongs to, as the SDK decides it: a `beta_…` key goes to BETA
 * whatever env is passed; a key without `_` keeps the env passed (undefined here).
 */
export function environmentOfKey(apiKey: string): ParaEnvironment | "invalid" | undefined {
  if (!apiKey.includes("_")) return undefined;
  const prefix = apiKey.split("_")[0]!.toUpperCase();
  return isParaEnvironment(prefix) ? prefix : "invalid";
}
