// The examples page shows what the API answers: the server's own types, imported as types only
// (nothing of lib/ reaches the browser bundle).
/** A pregenerated set as `/api/wallets/pregen` answers it. */
export type { PregenWalletView as PregenWalletSet } from "@/lib/wallets/service";
/** What `/api/examples/[library]/{session,pregen}` answers. */
export type { SigningMode, SigningResult as SigningAnswer } from "@/lib/signing/types";
/** What `/api/examples/smart-account/{session,pregen}` answers. */
export type { SmartAccountResult as SmartAccountAnswer, SmartAccountType } from "@/lib/signing/smart-account";
