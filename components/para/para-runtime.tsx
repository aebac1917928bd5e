"use client";

import { Environment, ParaProvider } from "@getpara/react-sdk-lite";
import "@getpara/react-sdk-lite/styles.css";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import type { ParaPublicConfig } from "@/lib/para/public-config";
import { modalOAuthMethods } from "./oauth-methods";
import { OpenModalOnce } from "./open-modal-once";

/**
 * React Query and the Para browser SDK. Only the on-demand runtimes (home-runtime, examples-runtime)
 * import this, so a page loads the SDK when the user signs in or has a Para session to restore.
 * `openModal`: the user pressed Sign in before the SDK was there; the modal opens for them, once.
 */
export function ParaRuntime({ config, openModal, children }: { config: ParaPublicConfig; openModal: boolean; children: ReactNode }) {
  // One client per browser tab, created once (not per render).
  const [queryClient] = useState(() => new QueryClient());
  return (
    <QueryClientProvider client={queryClient}>
      <ParaProvider
        paraClientConfig={{ env: Environment[config.environment], apiKey: config.apiKey }}
        config={{ appName: "Para server sessions" }}
        paraModalConfig={{ disableEmailLogin: false, disablePhoneLogin: false, oAuthMethods: modalOAuthMethods(config.mode) }}
        // No external wallets (react-sdk's ParaProvider sets the same default; lite's would offer them
        // all, and warn in the modal that WalletConnect has no project id).
        externalWalletConfig={{ wallets: [] }}
      >
        <OpenModalOnce wanted={openModal} />
        {children}
      </ParaProvider>
    </QueryClientProvider>
  );
}
