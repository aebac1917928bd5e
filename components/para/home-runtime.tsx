"use client";

import type { ParaPublicConfig } from "@/lib/para/public-config";
import { ConnectPanel } from "../connect-panel";
import { ParaRuntime } from "./para-runtime";

/** The home page's Para part, loaded on demand (`HomeArea` in areas.tsx): the SDK and the session flow. */
export default function HomeRuntime({ config, openModal }: { config: ParaPublicConfig; openModal: boolean }) {
  return (
    <ParaRuntime config={config} openModal={openModal}>
      <ConnectPanel mode={config.mode} />
    </ParaRuntime>
  );
}
