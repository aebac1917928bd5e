import type { TOAuthMethod } from "@getpara/react-sdk-lite";
import type { ParaPublicConfig } from "@/lib/para/public-config";

/**
 * The OAuth buttons the Para modal offers, in its order: the one place to change them. Para's modal
 * offers Google and X by default (react-sdk-lite ParaModal: `["GOOGLE", "TWITTER"]`); this app adds
 * Apple, Discord and Facebook. With more than three the modal shows the first two and a "more" tile.
 * In local mode para-local's portal stands in for each provider with a consent page
 * (para-local/portal/oauth-page.ts). An OAuth user is an email user to Para: the session's
 * `authInfo` is the email; Para's JWT and `/sessions/verify` name the provider (`oAuthMethod`).
 */
const OAUTH_METHODS = ["GOOGLE", "TWITTER", "APPLE", "DISCORD", "FACEBOOK"] as const satisfies readonly TOAuthMethod[];

/**
 * Telegram and Farcaster, with Para only. Their flows run in a portal iframe that loads telegram.org
 * or talks to the Farcaster relay (core-sdk PollingService `waitForOAuthEvent`), which cannot work
 * offline, and para-local has no such pages. With Para they need nothing more from the SDK or this
 * app's CSP (the iframe is the portal's, which frame-src allows); the partner enables them in Para's
 * developer portal.
 */
const PARA_ONLY_METHODS = ["TELEGRAM", "FARCASTER"] as const satisfies readonly TOAuthMethod[];

/** The modal's `oAuthMethods` for this mode. */
export function modalOAuthMethods(mode: ParaPublicConfig["mode"]): TOAuthMethod[] {
  return mode === "para" ? [...OAUTH_METHODS, ...PARA_ONLY_METHODS] : [...OAUTH_METHODS];
}
