"use client";

import { useAccount, useModal } from "@getpara/react-sdk-lite";
import { useEffect, useRef } from "react";

/**
 * Opens the Para modal once per page load, as soon as it can take it, when the user pressed Sign in before the SDK
 * had loaded. The modal plays its closing transition once when it first renders; opened before that
 * ends, the late "exited" event empties it and leaves a blank overlay (an SDK race that a quick user
 * hits too), so this waits for the closed state first — at most two seconds.
 */
export function OpenModalOnce({ wanted }: { wanted: boolean }): null {
  const { openModal } = useModal();
  const account = useAccount();
  const opened = useRef(false);
  const ready = !account.isLoading;
  const connected = account.embedded.isConnected;
  useEffect(() => {
    if (!wanted || opened.current || !ready || connected) return;
    opened.current = true;
    void modalClosed(2_000).then(() => openModal());
  }, [wanted, ready, connected, openModal]);
  return null;
}

async function modalClosed(timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const host = document.querySelector("cpsl-auth-modal");
    const wrapper = host?.shadowRoot?.querySelector("#modal-wrapper") ?? host?.querySelector("#modal-wrapper");
    if (wrapper instanceof HTMLElement && wrapper.style.display === "none") return;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}
