"use client";

import dynamic from "next/dynamic";
import type { ParaPublicConfig } from "@/lib/para/public-config";
import { ParaLoading, SignInPrompt, signInHint, useParaOnDemand } from "./on-demand";

// The Para SDK (about 0.8 MB gzip) is in these chunks only: fetched when the user presses Sign in
// (or points at it), or when the browser has a Para session to restore. Pages render without it.
const loadHome = () => import("./home-runtime");
const loadExamples = () => import("./examples-runtime");
const HomeRuntime = dynamic(loadHome, { ssr: false, loading: ParaLoading });
const ExamplesRuntime = dynamic(loadExamples, { ssr: false, loading: ParaLoading });

/** The home page's sign-in and session flow. */
export function HomeArea({ config }: { config: ParaPublicConfig }) {
  const { demand, signIn } = useParaOnDemand();
  if (demand) return <HomeRuntime config={config} openModal={demand.openModal} />;
  return (
    <SignInPrompt onSignIn={signIn} preload={() => void loadHome()}>
      <p>{signInHint(config.mode)} Para creates EVM, Solana and Cosmos wallets for you.</p>
    </SignInPrompt>
  );
}

/** The examples page's recipes, which need a signed-in browser. */
export function ExamplesArea({ config, serverSession }: { config: ParaPublicConfig; serverSession: boolean }) {
  const { demand, signIn } = useParaOnDemand();
  if (demand) return <ExamplesRuntime config={config} serverSession={serverSession} openModal={demand.openModal} />;
  return (
    <SignInPrompt onSignIn={signIn} preload={() => void loadExamples()}>
      <p>Sign in with Para first. {signInHint(config.mode)}</p>
    </SignInPrompt>
  );
}
